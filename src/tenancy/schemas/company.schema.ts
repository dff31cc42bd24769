import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PROVIDERS, type CompanyCaps, type ProviderName } from '../company';

/** A company (tenant) in the control database; its slug is the `_id`, so lookups hit the primary key. */
@Schema({ collection: 'companies', versionKey: false, timestamps: true })
export class CompanyDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  displayName: string;

  @Prop({ type: String, required: true, enum: PROVIDERS })
  provider: ProviderName;

  @Prop({ type: String, required: true })
  dbName: string;

  @Prop({ type: String })
  cluster?: string;

  @Prop({ type: Object, default: {} })
  caps: CompanyCaps;

  createdAt: Date;
  updatedAt: Date;
}

export const CompanySchema = SchemaFactory.createForClass(CompanyDocument);
