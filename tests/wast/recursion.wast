;; Unbounded recursion traps as call stack exhaustion; bounded recursion works.
(module
  (func $forever (export "forever") (param i32) (result i32)
    (i32.add (call $forever (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func $ping (export "ping") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (call $pong (i64.sub (local.get 0) (i64.const 1))))))
  (func $pong (param i64) (result i64)
    (i64.add (call $ping (local.get 0)) (i64.const 1)))
  (table funcref (elem $indirect))
  (type $t (func))
  (func $indirect (call_indirect (type $t) (i32.const 0)))
  (func (export "indirect") (call $indirect))
)

(assert_exhaustion (invoke "forever" (i32.const 0)) "call stack exhausted")
(assert_return (invoke "ping" (i64.const 1000)) (i64.const 1000))
(assert_exhaustion (invoke "indirect") "call stack exhausted")
;; The instance still works after exhausting its stack.
(assert_return (invoke "ping" (i64.const 10)) (i64.const 10))
