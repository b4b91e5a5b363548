// Calls to the FlashLine API with the session cookie; changes carry the CSRF token from the
// XSRF-TOKEN cookie, as the service's browser security chain expects.

export function csrfToken() {
  const cookie = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : '';
}

/** A problem document (RFC 9457) the API answered with. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', json, body } = {}) {
  const headers = { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  if (method !== 'GET') {
    headers['X-XSRF-TOKEN'] = csrfToken();
  }
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const response = await fetch('/api/v1' + path, { method, headers, body, credentials: 'same-origin' });
  if (response.status === 401) {
    location.href = '/login';
    throw new ApiError(401, { detail: 'signed out' });
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, data || {});
  }
  return data;
}

/** The message to show for a failed call: the API's field messages, else its detail. */
export function describe(error) {
  const problem = error.problem || {};
  if (Array.isArray(problem.errors) && problem.errors.length) {
    return problem.errors.map(e => `${e.field}: ${e.message}`).join('; ');
  }
  const where = problem.location ? ` (${problem.location})` : '';
  return (problem.detail || error.message) + where;
}
