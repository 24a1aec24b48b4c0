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

/**
 * Orders path patterns from the most specific to the least: more literal segments first, then fewer `**`,
 * then fewer segments with `*`, then more segments. `Array.prototype.sort` is stable, so equally specific
 * patterns keep their order.
 */
export function bySpecificity(a: string, b: string): number {
  const [x, y] = [specificity(a), specificity(b)];
  return y.literal - x.literal || x.deep - y.deep || x.wild - y.wild || y.segments - x.segments;
}

function specificity(pattern: string) {
  // "/" matches every path, as "/**" does.
  const segments = pattern === '/' ? ['**'] : pattern.split('/').filter((segment) => segment !== '');
  const deep = segments.filter((segment) => segment === '**').length;
  const wild = segments.filter((segment) => segment !== '**' && segment.includes('*')).length;
  return { literal: segments.length - deep - wild, deep, wild, segments: segments.length };
}
