import { describe, expect, it } from 'vitest';
import { httpDate, isoString, VirtualClock } from '../../src/core/clock.ts';
import { parseDuration } from '../../src/core/duration.ts';
import { IdSource } from '../../src/core/ids.ts';
import { RequestJournal } from '../../src/core/journal.ts';
import { Router } from '../../src/core/router.ts';

describe('parseDuration', () => {
  it('reads single and compound units into milliseconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('16m')).toBe(960_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration(42)).toBe(42);
  });

  it('refuses text it cannot read, negatives and empty strings', () => {
    for (const bad of ['', 'm5', '5 minutes', '1h30', '-1s', 'soon'])
      expect(() => parseDuration(bad)).toThrow(RangeError);
    expect(() => parseDuration(-1)).toThrow(RangeError);
    expect(() => parseDuration(Number.NaN)).toThrow(RangeError);
  });
});

describe('VirtualClock', () => {
  const T0 = Date.parse('2026-01-01T00:00:00Z');

  it('stays put while frozen and moves only when advanced or set', () => {
    let real = 0;
    const clock = new VirtualClock(T0, { frozen: true, realTime: () => real });
    real = 10_000;
    expect(clock.now()).toBe(T0);
    clock.advance('16m');
    expect(clock.now()).toBe(T0 + 960_000);
    clock.set('2026-02-01T00:00:00Z');
    expect(clock.toJSON()).toEqual({ now: '2026-02-01T00:00:00.000Z', frozen: true });
  });

  it('follows real time while running, from the instant it was last moved', () => {
    let real = 1_000;
    const clock = new VirtualClock(T0, { frozen: false, realTime: () => real });
    real = 3_500;
    expect(clock.now()).toBe(T0 + 2_500);
    clock.advance('1m');
    real = 4_500;
    expect(clock.now()).toBe(T0 + 2_500 + 60_000 + 1_000);
    clock.freeze();
    real = 100_000;
    expect(clock.now()).toBe(T0 + 63_500);
    clock.resume();
    real = 101_000;
    expect(clock.now()).toBe(T0 + 64_500);
  });

  it('tells listeners about every jump, and stops after unsubscribe', () => {
    const clock = new VirtualClock(T0);
    const heard: [number, number][] = [];
    const stop = clock.onJump((now, previous) => heard.push([now, previous]));
    clock.advance(1_000);
    clock.set(T0);
    stop();
    clock.advance(5);
    expect(heard).toEqual([
      [T0 + 1_000, T0],
      [T0, T0 + 1_000],
    ]);
  });

  it('refuses invalid instants and durations without moving', () => {
    const clock = new VirtualClock(T0);
    expect(() => clock.set('yesterday')).toThrow(RangeError);
    // @ts-expect-error: the type checker refuses it too (CheckedDuration)
    expect(() => clock.advance('-5m')).toThrow(RangeError);
    expect(clock.now()).toBe(T0);
  });
});

describe('date formats', () => {
  it('formats each instant as itself when instants alternate (the last result is reused only for the same one)', () => {
    const a = Date.UTC(2026, 0, 1);
    const b = a + 1;
    expect([isoString(a), isoString(b), isoString(a), isoString(a)]).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.001Z',
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
    expect([httpDate(a), httpDate(a + 86_400_000), httpDate(a)]).toEqual([
      'Thu, 01 Jan 2026 00:00:00 GMT',
      'Fri, 02 Jan 2026 00:00:00 GMT',
      'Thu, 01 Jan 2026 00:00:00 GMT',
    ]);
    expect(() => isoString(Number.NaN)).toThrow(RangeError);
  });
});

describe('IdSource', () => {
  it('repeats its sequence for the same seed and after a restart', () => {
    const a = new IdSource(42);
    const b = new IdSource(42);
    const first = [a.chars(20), a.urlSafe(10), a.digits(6), a.faker.person.firstName()];
    expect([b.chars(20), b.urlSafe(10), b.digits(6), b.faker.person.firstName()]).toEqual(first);
    a.restart();
    expect([a.chars(20), a.urlSafe(10), a.digits(6), a.faker.person.firstName()]).toEqual(first);
    expect(new IdSource(43).chars(20)).not.toBe(first[0]);
    expect(first[2]).toMatch(/^\d{6}$/);
  });

  it('draws ids of the asked length from the whole alphabet, evenly', () => {
    const ids = new IdSource(7);
    expect(ids.chars(27)).toMatch(/^[A-Za-z0-9]{27}$/);
    expect(ids.urlSafe(22)).toMatch(/^[\w-]{22}$/);
    expect(ids.chars(1, 'xy')).toMatch(/^[xy]$/);
    const counts = new Map<string, number>();
    for (const char of ids.chars(62_000)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 1,000 expected per character; a skewed draw (a modulo bias, a stuck digit) lands far outside.
    for (const count of counts.values()) expect(count).toBeGreaterThan(850);
    for (const count of counts.values()) expect(count).toBeLessThan(1_150);
  });
});

describe('Router', () => {
  const router = new Router<string>()
    .add('GET', '/api/v1/sessions/me', 'me')
    .add('GET', '/api/v1/sessions/:id', 'by-id')
    .add('DELETE', '/api/v1/sessions/:id', 'delete')
    .add('POST', '/api/v1/authn/factors/:factorId/verify', 'verify');

  it('prefers static paths, captures decoded parameters and reports wrong methods', () => {
    expect(router.match('GET', '/api/v1/sessions/me')).toEqual({ kind: 'found', value: 'me', params: {} });
    expect(router.match('GET', '/api/v1/sessions/a%20b')).toEqual({
      kind: 'found',
      value: 'by-id',
      params: { id: 'a b' },
    });
    expect(router.match('POST', '/api/v1/authn/factors/ost1/verify')).toMatchObject({
      params: { factorId: 'ost1' },
    });
    expect(router.match('PUT', '/api/v1/sessions/x')).toEqual({
      kind: 'wrong-method',
      allowed: ['GET', 'DELETE'],
    });
    expect(router.match('GET', '/api/v1/sessions/')).toEqual({ kind: 'none' });
    expect(router.match('GET', '/api/v1/sessions/%E0')).toEqual({ kind: 'none' });
  });

  it('refuses a route added twice', () => {
    expect(() => router.add('GET', '/api/v1/sessions/:id', 'again')).toThrow(/Duplicate route/);
  });
});

describe('RequestJournal', () => {
  const entry = (operation: string, status = 200) => ({
    at: '2026-01-01T00:00:00.000Z',
    method: 'POST',
    url: `https://x.test/api/v1/${operation}`,
    vendor: 'okta' as const,
    operation,
    status,
  });

  it('finds entries by any field and by path', () => {
    const journal = new RequestJournal();
    journal.record(entry('authn'));
    journal.record(entry('verify', 403));
    journal.record(entry('verify'));
    expect(journal.find({ operation: 'verify' })?.seq).toBe(2);
    expect(journal.last({ operation: 'verify' })?.seq).toBe(3);
    expect(journal.filter({ status: 200 })).toHaveLength(2);
    expect(journal.find({ path: '/api/v1/authn' })?.operation).toBe('authn');
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const journal = new RequestJournal(2);
    for (const op of ['a', 'b', 'c']) journal.record(entry(op));
    expect(journal.all().map((e) => e.operation)).toEqual(['b', 'c']);
    journal.clear();
    expect(journal.size).toBe(0);
  });

  it('keeps exactly the newest entries across its batched trims', () => {
    const journal = new RequestJournal(100);
    for (let i = 1; i <= 5_000; i++) journal.record(entry(`op${i}`));
    expect(journal.size).toBe(100);
    expect(journal.all().map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 4_901 + i));
    expect(journal.find()?.operation).toBe('op4901');
    expect(journal.find({ operation: 'op4900' })).toBeUndefined();
    expect(journal.last()?.operation).toBe('op5000');
    expect(journal.filter({ operation: 'op4950' })).toHaveLength(1);
    expect(journal.toJSON()).toHaveLength(100);
  });
});
