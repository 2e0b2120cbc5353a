/**
 * The audit reader on real-shaped inputs (test/corpus/audit): JSON lines mixing v1, v1beta1 and
 * kind-less events with junk, duplicates and an event cut at 10,000 characters (EKS); gzip;
 * EventLists pretty-printed and concatenated; CloudWatch and Azure exports; a GKE entry (not
 * read, reported). Chunk boundaries never change what is read; garbage never crashes it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AuditReader } from '../../src/sources/audit/read.js';
import { repairTruncated } from '../../src/sources/audit/json-scan.js';
import type { AuditEvent } from '../../src/sources/audit/event.js';
import { auditPaths } from '../../src/audit/run.js';

const CORPUS = path.join(import.meta.dirname, '..', 'corpus', 'audit');
const file = (n: string): string => path.join(CORPUS, n);

async function readAll(paths: string[]): Promise<{ events: AuditEvent[]; reader: AuditReader }> {
  const events: AuditEvent[] = [];
  const reader = new AuditReader((e) => events.push(e));
  await reader.readPaths(paths);
  return { events, reader };
}

async function readChunks(buf: Buffer, sizes: number[], source = 'chunks'): Promise<{ ids: string[]; reader: AuditReader }> {
  const ids: string[] = [];
  const reader = new AuditReader((e) => ids.push(`${e.auditID}/${e.stage}/${e.truncated ? 'cut' : ''}`));
  const parts: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < buf.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    parts.push(buf.subarray(at, at + n));
    at += n;
  }
  await reader.readStream(Readable.from(parts), source);
  return { ids, reader };
}

describe('audit reader', () => {
  it('JSON lines: v1, v1beta1, events without kind/apiVersion; junk and duplicates counted; the 10,000-character cut repaired', async () => {
    const { events, reader } = await readAll([file('mixed.jsonl')]);
    assert.equal(events.length, 7);
    assert.equal(reader.stats.duplicates, 1);
    assert.equal(reader.stats.truncated, 1);
    assert.equal(reader.stats.skipped, 5);
    const cut = events.find((e) => e.truncated)!;
    assert.equal(cut.verb, 'create');
    assert.equal(cut.objectRef?.name, 'big-priv');
    assert.ok(events.some((e) => e.user.username === 'system:serviceaccount:shop:app' && e.time), 'the v1beta1 event (timestamp) is read');
    assert.ok(events.some((e) => e.objectRef?.resource === 'clusterrolebindings'), 'the event without kind/apiVersion is read');
    assert.ok(events.some((e) => e.stage === 'ResponseStarted' && e.objectRef?.subresource === 'exec'));
    const probs = reader.allProblems();
    for (const p of probs) {
      assert.equal(p.source, file('mixed.jsonl'));
      assert.ok(p.line && p.line > 0, `problem without a line: ${p.message}`);
    }
    assert.deepEqual(probs.map((p) => p.line), [5, 6, 7, 11, 12, 13]);
    // the cut event still raises what its first fields show
    const r = await auditPaths([file('mixed.jsonl')]);
    const priv = r.detections.find((d) => d.id === 'KOR-0901');
    assert.ok(priv?.context.truncated);
    assert.equal(r.partial, true);
  });

  it('gzip is read by its magic bytes, with the same result', async () => {
    const a = await readAll([file('mixed.jsonl')]);
    const b = await readAll([file('mixed.jsonl.gz')]);
    assert.deepEqual(b.events.map((e) => e.auditID), a.events.map((e) => e.auditID));
    assert.deepEqual(b.reader.stats, a.reader.stats);
  });

  it('EventList (pretty-printed), concatenated EventLists, CloudWatch (CLI and subscription), Azure records', async () => {
    const cases: Array<[string, number, number]> = [
      ['eventlist.json', 3, 0],
      ['concatenated.json', 3, 0],
      ['cloudwatch-filter-log-events.json', 4, 1],
      ['cloudwatch-subscription.json.gz', 2, 0],
      ['azure-kube-audit.json', 2, 0],
    ];
    for (const [name, n, truncated] of cases) {
      const { events, reader } = await readAll([file(name)]);
      assert.equal(events.length, n, name);
      assert.equal(reader.stats.truncated, truncated, name);
      assert.equal(reader.stats.skipped, 0, `${name}: ${JSON.stringify(reader.allProblems())}`);
    }
  });

  it('a GKE Cloud Logging entry is reported as not read, with its line', async () => {
    const { events, reader } = await readAll([file('gke-cloud-logging.json')]);
    assert.equal(events.length, 0);
    const [p] = reader.allProblems();
    assert.equal(p?.code, 'unsupported');
    assert.match(p!.message, /GKE/);
  });

  it('a file whose last line is cut: the complete events are read, the cut one reported', async () => {
    const { events, reader } = await readAll([file('cut-at-end.jsonl')]);
    assert.equal(events.length, 1);
    assert.equal(reader.allProblems()[0]?.line, 2);
  });

  it('a directory is read file by file, in name order; a missing path is a problem', async () => {
    const { reader } = await readAll([CORPUS, path.join(CORPUS, 'no-such-file.log')]);
    assert.ok(reader.stats.sources >= 9);
    assert.ok(reader.allProblems().some((p) => p.code === 'unreadable' && p.source.endsWith('no-such-file.log')));
  });

  it('a corrupt gzip stream is a problem, not a crash', async () => {
    const gz = gzipSync(readFileSync(file('mixed.jsonl')));
    const bad = Buffer.concat([gz.subarray(0, 200), Buffer.from('garbage')]);
    const { reader } = await readChunks(bad, [64]);
    assert.ok(reader.allProblems().some((p) => p.code === 'unreadable'));
  });

  it('chunk boundaries never change what is read', async () => {
    const inputs = ['mixed.jsonl', 'eventlist.json', 'concatenated.json', 'cloudwatch-filter-log-events.json', 'azure-kube-audit.json'].map((n) => readFileSync(file(n)));
    const whole = await Promise.all(inputs.map((b) => readChunks(b, [b.length])));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: inputs.length - 1 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }), async (i, sizes) => {
        const got = await readChunks(inputs[i]!, sizes);
        assert.deepEqual(got.ids, whole[i]!.ids);
        assert.deepEqual(got.reader.stats, whole[i]!.reader.stats);
      }),
      { numRuns: 60 },
    );
  });

  it('garbage never crashes the reader, and every value is counted as an event or a skip', async () => {
    const line = readFileSync(file('mixed.jsonl'), 'utf8').split('\n')[0]!;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.string(), fc.constant(line), fc.integer({ min: 1, max: line.length }).map((n) => line.slice(0, n)), fc.json()), { maxLength: 12 }), async (lines) => {
        const { reader } = await readChunks(Buffer.from(lines.join('\n')), [97]);
        assert.ok(reader.stats.events + reader.stats.skipped + reader.stats.duplicates >= 0);
      }),
      { numRuns: 200 },
    );
  });

  it('duplicates (auditID + stage) are dropped within the window; other stages of a request are kept', async () => {
    const ev = (id: string, stage: string): string => JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: id, stage, verb: 'get', user: { username: 'u' } });
    const text = [ev('a', 'RequestReceived'), ev('a', 'ResponseComplete'), ev('a', 'ResponseComplete'), ev('b', 'ResponseComplete'), ev('a', 'ResponseComplete')].join('\n');
    const { ids, reader } = await readChunks(Buffer.from(text), [1 << 20]);
    assert.equal(ids.length, 3);
    assert.equal(reader.stats.duplicates, 2);
  });

  it('repairs a cut object at its last complete member', () => {
    assert.deepEqual(repairTruncated('{"a":1,"b":{"c":[1,2'), { a: 1, b: { c: [1] } });
    assert.deepEqual(repairTruncated('{"a":"x","b":"unfinished str'), { a: 'x' });
    assert.equal(repairTruncated('{"a'), undefined);
  });
});
