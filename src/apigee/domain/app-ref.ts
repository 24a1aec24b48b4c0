/**
 * App references as scenarios, actions and `check` templates write them. App names are unique per developer,
 * not per organization (docs/fidelity/apigee.md#apigee-app-names), so `dev@example.com/web` names the app
 * `web` of that developer; a bare `web` names the one app of that name, and is ambiguous when two developers
 * have one. App names cannot contain `/`, so the reference splits at its last `/`.
 */

/** What a reference resolves to among candidates that have a name and an owning developer's email. */
export type AppRefMatch<T> =
  | { kind: 'found'; app: T }
  | { kind: 'ambiguous'; candidates: T[] }
  | { kind: 'none' };

/** `{ developer, name }` of `dev@example.com/web`; `{ name }` of a bare name. */
export function parseAppRef(ref: string): { developer: string | undefined; name: string } {
  const cut = ref.lastIndexOf('/');
  return cut < 0
    ? { developer: undefined, name: ref }
    : { developer: ref.slice(0, cut), name: ref.slice(cut + 1) };
}

/** The app a reference names among `apps`; developer emails compare without regard to case. */
export function matchAppRef<T>(
  apps: Iterable<T>,
  ref: string,
  nameOf: (app: T) => string,
  developerOf: (app: T) => string,
): AppRefMatch<T> {
  const { developer, name } = parseAppRef(ref);
  const owner = developer?.toLowerCase();
  const candidates: T[] = [];
  for (const app of apps) {
    if (nameOf(app) !== name) continue;
    if (owner !== undefined && developerOf(app).toLowerCase() !== owner) continue;
    candidates.push(app);
  }
  const [first] = candidates;
  if (candidates.length === 1 && first !== undefined) return { kind: 'found', app: first };
  return candidates.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', candidates };
}

/** The message for a bare name that two developers' apps share. */
export function ambiguousAppMessage(ref: string, developers: readonly string[]): string {
  const refs = developers.map((developer) => `${developer}/${ref}`).join(', ');
  return `App name ${ref} is ambiguous: ${refs}; write developer/app`;
}
