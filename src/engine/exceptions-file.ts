/**
 * The exceptions file: its schema and its reader. A module of its own because zod and the
 * YAML library take a noticeable part of start-up time and most scans have no such file.
 */
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import type { ExceptionRule } from './exceptions.js';

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const ExceptionRuleSchema = z.object({
  /** Control ids, aliases or names; `*` for all. */
  controls: z.array(z.string().min(1)).min(1),
  match: z
    .object({
      kind: z.string().optional(),
      namespace: z.string().optional(),
      name: z.string().optional(),
    })
    .strict()
    .default({}),
  reason: z.string().min(1, 'a reason is required'),
  owner: z.string().optional(),
  expires: z.union([dateString, z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
}).strict();

export const ExceptionsFileSchema = z.object({
  apiVersion: z.literal('kordon.dev/v1').optional(),
  kind: z.literal('Exceptions').optional(),
  exceptions: z.array(ExceptionRuleSchema),
}).strict();

// the schema's output is exactly the rule the matcher works with
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof ExceptionRuleSchema>, ExceptionRule> = true;
void sameShape;

/** Parses an exceptions file; all problems at once, never throws. */
export function parseExceptionsFile(source: string, text: string): { rules: ExceptionRule[]; errors: string[] } {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: false, logLevel: 'error' });
  } catch (err) {
    return { rules: [], errors: [`${source}: not valid YAML: ${String((err as Error).message).split('\n')[0]}`] };
  }
  const r = ExceptionsFileSchema.safeParse(data);
  if (!r.success) {
    return { rules: [], errors: r.error.issues.map((i) => `${source}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`) };
  }
  return { rules: r.data.exceptions, errors: [] };
}

