import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A company API key. Only a hash of its secret is stored; the key itself is shown once, at creation. */
@Schema({ collection: 'apikeys', versionKey: false, timestamps: { createdAt: true, updatedAt: false } })
export class ApiKeyDocument {
  /** The public key id, also embedded in the key, so lookups hit the primary key. */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  companySlug: string;

  @Prop({ type: String, required: true })
  name: string;

  @Prop({ type: String, required: true })
  secretHash: string;

  @Prop({ type: Date })
  revokedAt?: Date;

  createdAt: Date;
}

export const ApiKeySchema = SchemaFactory.createForClass(ApiKeyDocument);
