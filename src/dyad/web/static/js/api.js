// The JSON API of the same server (see /docs). Errors carry the server's {"detail"} message.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

const TOKEN_KEY = "dyad.token";

/** The bearer token a server bound to a non-loopback address wants for changes (kept for the tab). */
export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

let health = null;

/** /api/health, fetched once: says whether changes need a token. */
export function serverHealth() {
  health = health || request("GET", "/health");
  return health;
}

async function request(method, path, params, body) {
  const options = { method, headers: { Accept: "application/json" } };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token && method !== "GET") options.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(`/api${path}${query(params)}`, options);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = data && data.detail;
    throw new ApiError(response.status, typeof detail === "string" ? detail : `${response.status} ${response.statusText}`);
  }
  return data;
}

export const get = (path, params) => request("GET", path, params);
export const post = (path, body) => request("POST", path, undefined, body);
