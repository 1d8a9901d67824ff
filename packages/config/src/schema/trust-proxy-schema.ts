import { isIP } from 'node:net';
import { z } from 'zod';

// The names express ('trust proxy', through proxy-addr) knows for address ranges.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrSubnet(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * Which proxies' X-Forwarded-For names the client, as express 'trust proxy' takes it: false (none:
 * the connection's address), true (every proxy), a hop count, or addresses and subnets like
 * "loopback, 10.0.0.0/8". Text from an env variable ("true", "1") is read the same way.
 */
export const trustProxySchema = z
  .union([z.boolean(), z.number().int().min(0), z.string()], { error: 'expected false, true, a hop count, or addresses/subnets like "loopback, 10.0.0.0/8"' })
  .transform((value, ctx): boolean | number | string => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (text === 'true' || text === 'false') return text === 'true';
    if (/^\d+$/.test(text)) return Number(text);
    const entries = text.split(',').map((entry) => entry.trim());
    const wrong = entries.filter((entry) => !isAddressOrSubnet(entry));
    if (wrong.length > 0) {
      ctx.issues.push({
        code: 'custom',
        message: `not an address or subnet: ${wrong.map((w) => JSON.stringify(w)).join(', ')}; expected false, true, a hop count, or addresses/subnets like "loopback, 10.0.0.0/8"`,
        input: value,
      });
      return z.NEVER;
    }
    return entries.join(', ');
  });
