import { z } from 'zod';

export const redisSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'expected a Redis URL like "redis://127.0.0.1:6379"')
    .default('redis://127.0.0.1:6379'),
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9:_.-]*$/, 'expected a key prefix of letters, digits and ":_.-", like "stagecraft"')
    .default('stagecraft'),
});
