/** The few kinds of response the browser's routes send. */

export function html(text: string, status = 200): Response {
  return new Response(text, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "x-content-type-options": "nosniff" },
  });
}

/** After a form post: back to a page with GET (so a reload does not post again). */
export function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}
