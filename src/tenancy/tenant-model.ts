import type { Connection, Model, Schema } from 'mongoose';

/**
 * The model for `name` on this tenant connection, compiled once per connection. Untyped on purpose:
 * Mongoose's path typing explodes on free-form documents (the legacy `data` object), so
 * repositories type their own inputs and outputs instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function tenantModel(connection: Connection, name: string, schema: Schema): Model<any> {
  return connection.models[name] ?? connection.model(name, schema);
}
