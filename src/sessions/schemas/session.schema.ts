import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SESSION_STATUSES, type SessionStatus } from '../session-status';

/**
 * A WhatsApp session's desired and last known state, in the control database so that a restart finds
 * every session of every company with one query. `_id` is `<company>:<name>`.
 */
@Schema({ collection: 'sessions', versionKey: false, timestamps: true })
export class SessionDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  company: string;

  @Prop({ type: String, required: true })
  name: string;

  @Prop({ type: String, required: true })
  provider: string;

  @Prop({ type: String, required: true, enum: ['running', 'stopped'] })
  desired: 'running' | 'stopped';

  @Prop({ type: String, required: true, enum: SESSION_STATUSES })
  status: SessionStatus;

  @Prop({ type: String })
  reason?: string;

  @Prop({ type: String })
  phone?: string;

  /** Twilio only: the number (E.164) or Messaging Service SID this session sends from and receives on. */
  @Prop({ type: String })
  sender?: string;

  @Prop({ type: String })
  qr?: string;

  @Prop({ type: Date })
  lastActivityAt?: Date;

  /** Lease: the process running the session's client (null when none), until when, and the fencing token. */
  @Prop({ type: String, default: null })
  owner?: string | null;

  @Prop({ type: Date })
  leaseExpiresAt?: Date;

  @Prop({ type: Number, default: 0 })
  fence?: number;

  /** A pairing code asked for through a process that does not own the session, answered by the owner. */
  @Prop({ type: String })
  pairingPhone?: string;

  @Prop({ type: String })
  pairingCode?: string;

  /** Suspended for idleness: not resumed by claims until demand (a send) clears it. */
  @Prop({ type: Boolean })
  idle?: boolean;

  /** Set with `desired: 'stopped'` when the admin asked for a logout the owner has not done yet. */
  @Prop({ type: Boolean })
  logoutRequested?: boolean;

  createdAt: Date;
  updatedAt: Date;
}

export const SessionSchema = SchemaFactory.createForClass(SessionDocument);
