// Verifies the ImageHub session token: a compact JWS signed with HS256 whose claims are
// sub, name, tenant, plan, iat, exp (see "Contracts between the parts" in the README).

import { decodeBase64Url } from "./base64url";
import { hmacSha256, constantTimeEquals } from "./sha256";
import { parseJson, JsonValue } from "./json";

/** Tokens are a few hundred bytes; anything far larger is refused before any work is done. */
export const MAX_TOKEN_BYTES = 4096;

export class SessionClaims {
  user: string = "";
  tenant: string = "";
  plan: string = "";
  expiresAt: i64 = 0;
}

/** Either `claims` (valid token) or `error` (a short reason for the log, never for the client). */
export class TokenCheck {
  claims: SessionClaims | null = null;
  error: string = "";

  static failed(reason: string): TokenCheck {
    let check = new TokenCheck();
    check.error = reason;
    return check;
  }
}

function decodeJsonSegment(token: Uint8Array, start: i32, end: i32): JsonValue | null {
  let bytes = decodeBase64Url(token, start, end);
  if (bytes === null) return null;
  let parsed = parseJson(bytes, MAX_TOKEN_BYTES);
  let value = parsed.value;
  if (value === null || !value.isObject()) return null;
  return value;
}

function nonEmptyString(claims: JsonValue, name: string): string {
  let v = claims.get(name);
  if (v === null || !v.isString()) return "";
  return v.text;
}

/** Checks structure, algorithm, signature and expiry, in that order, against `nowSeconds`. */
export function verifySessionToken(token: Uint8Array, key: Uint8Array, nowSeconds: i64): TokenCheck {
  if (token.length == 0) return TokenCheck.failed("empty token");
  if (token.length > MAX_TOKEN_BYTES) return TokenCheck.failed("token longer than " + MAX_TOKEN_BYTES.toString() + " bytes");

  let firstDot = -1, secondDot = -1;
  for (let i = 0; i < token.length; i++) {
    if (token[i] != 0x2e) continue;
    if (firstDot < 0) firstDot = i;
    else if (secondDot < 0) secondDot = i;
    else return TokenCheck.failed("more than three segments");
  }
  if (secondDot < 0) return TokenCheck.failed("not three segments");

  let header = decodeJsonSegment(token, 0, firstDot);
  if (header === null) return TokenCheck.failed("header is not base64url JSON");
  let alg = header.get("alg");
  // Only HS256: accepting "none" or another algorithm named by the attacker is the classic JWT hole.
  if (alg === null || !alg.isString() || alg.text != "HS256") return TokenCheck.failed("alg is not HS256");
  let typ = header.get("typ");
  if (typ !== null && (!typ.isString() || typ.text.toUpperCase() != "JWT")) return TokenCheck.failed("typ is not JWT");

  let signature = decodeBase64Url(token, secondDot + 1, token.length);
  if (signature === null || signature.length != 32) return TokenCheck.failed("signature is not 32 base64url bytes");
  let expected = hmacSha256(key, token.subarray(0, secondDot));
  if (!constantTimeEquals(signature, expected)) return TokenCheck.failed("bad signature");

  let payload = decodeJsonSegment(token, firstDot + 1, secondDot);
  if (payload === null) return TokenCheck.failed("payload is not base64url JSON");
  let exp = payload.get("exp");
  if (exp === null || !exp.isNumber() || !isFinite(exp.number)) return TokenCheck.failed("exp missing");
  let expiresAt = <i64>Math.floor(exp.number);
  if (nowSeconds >= expiresAt) return TokenCheck.failed("expired");

  let claims = new SessionClaims();
  claims.user = nonEmptyString(payload, "sub");
  claims.tenant = nonEmptyString(payload, "tenant");
  claims.plan = nonEmptyString(payload, "plan");
  claims.expiresAt = expiresAt;
  if (claims.user.length == 0) return TokenCheck.failed("sub missing");
  if (claims.tenant.length == 0) return TokenCheck.failed("tenant missing");

  let check = new TokenCheck();
  check.claims = claims;
  return check;
}
