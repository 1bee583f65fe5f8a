// JWTs written by hand, for what the stand-in would never mint: signed by nobody.

/** A JWT part: a string as it is, any other value as its JSON, in base64url. */
export const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The header of an HS256 JWT, as a JWT carries it. */
export const jwtHeader = base64url({ alg: 'HS256', typ: 'JWT' });

/** A JWT whose claims are `claims` (a value, or JSON text for what a JS number cannot hold). */
export const unsignedJwt = (claims) => `${jwtHeader}.${base64url(claims)}.c2ln`;
