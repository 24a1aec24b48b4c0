/**
 * Apigee path patterns (product resources, protected proxy paths): `*` matches one segment, `**` any
 * number of segments including none, `/` alone matches everything.
 */
export function matchesPath(pattern: string, path: string): boolean {
  if (pattern === '/' || pattern === '/**') return true;
  return compilePathPattern(pattern).test(path);
}

const cache = new Map<string, RegExp>();

/** The regular expression of a path pattern, made once per pattern. */
export function compilePathPattern(pattern: string): RegExp {
  let regexp = cache.get(pattern);
  if (!regexp) {
    const source =
      pattern === '/'
        ? '/.*'
        : pattern
            .split('/')
            .map((segment) => {
              if (segment === '**') return '\u0000';
              return segment
                .split('*')
                .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
                .join('[^/]*');
            })
            .join('/')
            // "/x/**" also matches "/x" itself.
            .replaceAll('/\u0000', '(?:/.*)?');
    regexp = new RegExp(`^${source}/?$`);
    cache.set(pattern, regexp);
  }
  return regexp;
}
