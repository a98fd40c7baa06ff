// The quota service's contract: POST /v1/quota/consume {"tenant","user","cost"} →
// 200 {"allowed","plan","limit","remaining","resetSeconds"} (a denial is also 200).

import { parseJsonBuffer, jsonString, JsonValue } from "../../shared/json";

export const MAX_ANSWER_BYTES: u32 = 16 * 1024;

export function consumeRequestBody(tenant: string, user: string, cost: i32): string {
  return "{\"tenant\":" + jsonString(tenant) + ",\"user\":" + jsonString(user) + ",\"cost\":" + cost.toString() + "}";
}

export class QuotaAnswer {
  allowed: bool = false;
  limit: i64 = 0;
  remaining: i64 = 0;
  resetSeconds: i64 = 0;
}

function whole(v: JsonValue | null): i64 {
  if (v === null || !v.isNumber() || !isFinite(v.number) || v.number < 0 || v.number > 1e12) return -1;
  return <i64>Math.floor(v.number);
}

/** Null when the body is not the documented shape (the filter then treats the service as unavailable). */
export function parseQuotaAnswer(body: ArrayBuffer): QuotaAnswer | null {
  let parsed = parseJsonBuffer(body, <i32>MAX_ANSWER_BYTES);
  let root = parsed.value;
  if (root === null || !root.isObject()) return null;
  let allowed = root.get("allowed");
  if (allowed === null || !allowed.isBool()) return null;
  let answer = new QuotaAnswer();
  answer.allowed = allowed.boolean;
  answer.limit = whole(root.get("limit"));
  answer.remaining = whole(root.get("remaining"));
  answer.resetSeconds = whole(root.get("resetSeconds"));
  if (answer.limit < 0 || answer.remaining < 0 || answer.resetSeconds < 0) return null;
  return answer;
}
