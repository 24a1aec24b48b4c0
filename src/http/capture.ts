import type { CapturedMessage } from '../core/journal.ts';
import { bodyText, type SimRequest, type SimResponse } from './exchange.ts';

/**
 * Capture of headers and bodies for the journal (`sim.requests.capture()`, off by default), with secrets
 * masked so that a journal or a request log can be pasted into a bug report or kept by CI:
 *
 * - `Authorization` and `Proxy-Authorization` keep their scheme (`SSWS ****`, `Bearer ****`);
 * - `Cookie` and `Set-Cookie` keep cookie names and attributes (`sid=****; Path=/`);
 * - JSON and form bodies keep their shape, with the value of every field named like a secret masked:
 *   passwords, passcodes, answers, client secrets, assertions, code verifiers, authorization codes and
 *   every `...token` (`stateToken`, `sessionToken`, `access_token` ...); other bodies are kept as sent.
 *
 * Bodies are masked whole, then cut at `maxBodyBytes` characters.
 */
const MASK = '****';
const SECRET_FIELD = /password|secret|passcode|answer|assertion|verifier|token$|^code$/i;

export function captureRequest(request: SimRequest, maxBodyBytes: number): CapturedMessage {
  return message(request.headers, bodyText(request), maxBodyBytes);
}

export function captureResponse(response: SimResponse, maxBodyBytes: number): CapturedMessage {
  return message(response.headers, response.body ?? '', maxBodyBytes);
}

function message(headers: Iterable<[string, string]>, body: string, maxBodyBytes: number): CapturedMessage {
  const kept: Record<string, string> = {};
  let contentType = '';
  for (const [rawName, value] of headers) {
    const name = rawName.toLowerCase();
    if (name === 'content-type') contentType = value;
    const masked = maskHeader(name, value).slice(0, 1024);
    kept[name] = name in kept ? `${kept[name]}, ${masked}` : masked;
  }
  const captured: CapturedMessage = { headers: kept };
  if (body.length > 0) {
    const masked = maskBody(body, contentType);
    captured.body = masked.length > maxBodyBytes ? masked.slice(0, maxBodyBytes) : masked;
    if (masked.length > maxBodyBytes) captured.bodyLength = masked.length;
  }
  return captured;
}

function maskHeader(name: string, value: string): string {
  switch (name) {
    case 'authorization':
    case 'proxy-authorization': {
      const space = value.indexOf(' ');
      return space > 0 ? `${value.slice(0, space)} ${MASK}` : MASK;
    }
    case 'cookie':
      return value
        .split(';')
        .map((pair) => `${pair.split('=', 1)[0]?.trim()}=${MASK}`)
        .join('; ');
    case 'set-cookie': {
      const [pair = '', ...attributes] = value.split(';');
      return [`${pair.split('=', 1)[0]?.trim()}=${MASK}`, ...attributes.map((a) => a.trim())].join('; ');
    }
    default:
      return value;
  }
}

function maskBody(body: string, contentType: string): string {
  if (/json/i.test(contentType) || /^\s*[{[]/.test(body)) {
    try {
      return JSON.stringify(maskJson(JSON.parse(body)));
    } catch {
      return body;
    }
  }
  if (/x-www-form-urlencoded/i.test(contentType)) {
    const form = new URLSearchParams(body);
    for (const key of new Set(form.keys())) if (SECRET_FIELD.test(key)) form.set(key, MASK);
    return form.toString();
  }
  return body;
}

function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_FIELD.test(key) && (typeof item === 'string' || typeof item === 'number')
        ? MASK
        : maskJson(item),
    ]),
  );
}
