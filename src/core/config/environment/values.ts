/** Reads the raw string: implicit conversion would turn 'false' into true. */
export const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const raw = obj[key];
  return typeof raw === 'string' ? ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase()) : raw;
};

export const MONGO_URI = /^mongodb(\+srv)?:\/\/.+/;
