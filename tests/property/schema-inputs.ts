import fc from 'fast-check';
import type { z } from 'zod';
import { anyValue, plausibleFieldValue } from './hostile-values';

const nearNow = fc
  .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z') })
  .filter((date) => !Number.isNaN(date.getTime()));

function stringFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const info = schema as unknown as {
    format?: string | null;
    minLength?: number | null;
    maxLength?: number | null;
  };
  switch (info.format) {
    case 'email':
      return fc.constantFrom('ada@acme.test', 'new.person@acme.test', 'mallory@evil.test');
    case 'uuid':
    case 'guid':
      return fc.uuid();
    case 'datetime':
      return nearNow.map((date) => date.toISOString());
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    case 'cidrv4':
      return fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, n]) => `${ip}/${n}`);
    case 'cidrv6':
      return fc.ipV6().map((ip) => `${ip}/64`);
  }
  const patterns = schema._zod.bag.patterns as Set<RegExp> | undefined;
  const [pattern] = patterns ? [...patterns] : [];
  if (pattern) return fc.stringMatching(pattern, { size: 'xsmall' });
  const minLength = info.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(info.maxLength ?? 40, 40));
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    // Values that satisfy refinements the walk cannot see (calendar dates, passwords, codes).
    fc.constantFrom('2026-04-01', '2026-12-31', '123456', 'a long enough password 1'),
  );
}

/**
 * Values that mostly satisfy `schema`, found by walking zod's definition: they get past input
 * validation, so the fuzz reaches the access check's far side and the services behind it.
 */
export function validishValue(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return plausibleFieldValue;
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const inner = (key: string) => validishValue(def[key] as z.ZodType, depth + 1);
  switch (def.type) {
    case 'object': {
      const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType>;
      const keys = Object.keys(shape);
      const required = keys.filter((key) => {
        const type = shape[key]!._zod.def.type;
        return type !== 'optional' && type !== 'default';
      });
      return fc.record(
        Object.fromEntries(keys.map((key) => [key, validishValue(shape[key]!, depth + 1)])),
        { requiredKeys: required },
      );
    }
    case 'string':
      return stringFor(schema);
    case 'number': {
      const info = schema as unknown as {
        minValue: number | null;
        maxValue: number | null;
        isInt: boolean;
      };
      const min = Math.max(info.minValue ?? -1000, -1e6);
      const max = Math.min(info.maxValue ?? 1000, 1e6);
      return info.isInt
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.double({ min, max, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'optional':
    case 'default':
      return fc.option(inner('innerType'), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(inner('innerType'), { nil: null, freq: 3 });
    case 'pipe': {
      // `.transform()` pipes into a transform: generate for what goes in. `.pipe(z.email())`
      // narrows what goes in: generate for what comes out.
      const out = def.out as z.ZodType;
      return out._zod.def.type === 'transform' ? inner('in') : inner('out');
    }
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map((o) => validishValue(o, depth + 1)));
    case 'array':
      return fc.array(inner('element'), { maxLength: 3 });
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 8 }), inner('valueType'), { maxKeys: 3 });
    case 'null':
      return fc.constant(null);
    case 'undefined':
      return fc.constant(undefined);
    case 'unknown':
    case 'any':
      return anyValue;
    default:
      return plausibleFieldValue;
  }
}
