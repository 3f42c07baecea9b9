/**
 * The upload form carries its CSRF token in the query string (it is checked before the body is
 * read), so a URL may hold it: as `?_csrf=` / `&_csrf=`, or percent-encoded once or more when the URL
 * itself travels inside another (a `back=` link: `%26_csrf%3D…`). Any case, any depth of encoding.
 */
const CSRF_PARAM = /((?:[?&]|%(?:25)*(?:26|3f))(?:_|%(?:25)*5f)csrf(?:=|%(?:25)*3d))(?:(?!%(?:25)*26)[^&#])*/gi;

/** The URL with every CSRF token in it replaced by `[redacted]`: for logs and for links the page prints. */
export function redactUrl(url: string): string {
  return url.replace(CSRF_PARAM, '$1[redacted]');
}
