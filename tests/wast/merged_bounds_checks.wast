;; Merged bounds checks: accesses to one address plus small constants share a check, yet every
;; trap still happens at the access the specification names, after the stores before it and
;; before the ones after it. Checks are merged only inside loops (there the region is compiled
;; twice), so the functions below run their bodies in a loop that does not repeat.
(module
  (memory 1 3)
  (global $g (mut i32) (i32.const 0))
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "peek8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "g") (result i32) (global.get $g))
  (func (export "clear") (param i32)
    (i32.store (local.get 0) (i32.const 0))
    (global.set $g (i32.const 0)))

  ;; Two stores by static offset: the second may fall out while the first is in.
  (func (export "two_stores") (param $p i32) (loop
    (i32.store (local.get $p) (i32.const 11))
    (i32.store offset=4 (local.get $p) (i32.const 22))))

  ;; The same through i32.add of a constant, and through local.tee of the sum.
  (func (export "added") (param $p i32) (loop
    (i32.store (local.get $p) (i32.const 33))
    (i32.store (i32.add (local.get $p) (i32.const 4)) (i32.const 44))))
  (func (export "teed") (param $p i32) (loop
    (i32.store (local.get $p) (i32.const 55))
    (i32.store (local.tee $p (i32.add (local.get $p) (i32.const 4))) (i32.const 66))
    (i32.store8 offset=4 (local.get $p) (i32.const 77))))

  ;; The matmul pattern: load, load, store at p; the same at p + 8; the f64 sum checks the loads.
  (func (export "axpy2") (param $x i32) (param $y i32) (param $a f64) (loop
    (f64.store (local.get $y) (f64.add (f64.load (local.get $y)) (f64.mul (local.get $a) (f64.load (local.get $x)))))
    (local.set $y (i32.add (local.get $y) (i32.const 8)))
    (f64.store (local.get $y)
      (f64.add (f64.load (local.get $y)) (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (i32.const 8))))))))

  ;; A first access with the larger constant: the later one below it may wrap around 2^32 where
  ;; the first does not, so it must keep its own check.
  (func (export "wrap") (param $p i32) (loop
    (i32.store (i32.add (local.get $p) (i32.const 8)) (i32.const 7))
    (i32.store (local.get $p) (i32.const 9))))
  ;; The first access wraps (p + 8 >= 2^32): the later ones wrap the same way.
  (func (export "wrap_first") (param $p i32) (result i32) (loop (result i32)
    (i32.load8_u (i32.add (local.get $p) (i32.const 8)))
    (i32.load8_u (i32.add (local.get $p) (i32.const 9)))
    (i32.add)))

  ;; Offsets near 4 GiB: the extent is computed in 64 bits and never wraps.
  (func (export "far") (param $p i32) (result i32) (loop (result i32)
    (i32.add (i32.load offset=0xfffffff0 (local.get $p)) (i32.load offset=0xfffffff8 (local.get $p)))))

  ;; Something observable between two accesses of a group: a global and another trap.
  (func (export "global_between") (param $p i32) (loop
    (i32.store (local.get $p) (i32.const 1))
    (global.set $g (i32.const 5))
    (i32.store offset=4 (local.get $p) (i32.const 2))))
  (func (export "div_between") (param $p i32) (param $d i32) (result i32) (loop (result i32)
    (i32.load (local.get $p))
    (i32.div_u (i32.const 1) (local.get $d))
    (i32.load offset=8 (local.get $p))
    (i32.add) (i32.add)))

  ;; The address local changes between two accesses: they are no longer one group.
  (func (export "reset") (param $p i32) (param $q i32) (loop
    (i32.store (local.get $p) (i32.const 1))
    (local.set $p (local.get $q))
    (i32.store offset=4 (local.get $p) (i32.const 2))))
  (func (export "reset_computed") (param $p i32) (param $q i32) (loop
    (i32.store (local.get $p) (i32.const 1))
    (local.set $p (i32.or (local.get $q) (i32.const 0)))
    (i32.store offset=4 (local.get $p) (i32.const 2))))
  (func (export "reset_tee") (param $p i32) (param $q i32) (result i32) (loop (result i32)
    (i32.store (local.get $p) (i32.const 3))
    (i32.store8 offset=1 (local.tee $p (local.get $q)) (i32.const 4))
    (i32.load offset=2 (local.get $p))))

  ;; memory.grow between two accesses: the second sees the grown memory.
  (func (export "grow_between") (param $p i32) (result i32) (loop (result i32)
    (i32.store (local.get $p) (i32.const 8))
    (drop (memory.grow (i32.const 1)))
    (i32.store offset=4 (local.get $p) (i32.const 9))
    (memory.size)))
)

(assert_return (invoke "two_stores" (i32.const 65528)))
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 22))
(assert_trap (invoke "two_stores" (i32.const 65532)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 11))
(assert_trap (invoke "two_stores" (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke "peek8" (i32.const 65533)) (i32.const 0))

(assert_trap (invoke "added" (i32.const 65532)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 33))
(assert_return (invoke "added" (i32.const 100)))
(assert_return (invoke "peek" (i32.const 104)) (i32.const 44))

(assert_return (invoke "teed" (i32.const 200)))
(assert_return (invoke "peek" (i32.const 200)) (i32.const 55))
(assert_return (invoke "peek" (i32.const 204)) (i32.const 66))
(assert_return (invoke "peek8" (i32.const 208)) (i32.const 77))
(assert_trap (invoke "teed" (i32.const 65528)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 65528)) (i32.const 55))
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 66))

(invoke "clear" (i32.const 65524))
(assert_trap (invoke "axpy2" (i32.const 0) (i32.const 65528) (f64.const 1)) "out of bounds memory access")
(assert_trap (invoke "axpy2" (i32.const 65528) (i32.const 0) (f64.const 1)) "out of bounds memory access")
(assert_return (invoke "axpy2" (i32.const 65520) (i32.const 65520) (f64.const 1)))

(assert_trap (invoke "wrap" (i32.const -8)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 0)) (i32.const 7))
(assert_return (invoke "wrap" (i32.const 300)))
(assert_return (invoke "peek" (i32.const 300)) (i32.const 9))
(assert_return (invoke "wrap_first" (i32.const -8)) (i32.const 7))
(assert_trap (invoke "wrap_first" (i32.const -9)) "out of bounds memory access")

(assert_trap (invoke "far" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "far" (i32.const 16)) "out of bounds memory access")

(assert_trap (invoke "global_between" (i32.const 65532)) "out of bounds memory access")
(assert_return (invoke "g") (i32.const 5))
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 1))

(assert_trap (invoke "div_between" (i32.const 65528) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div_between" (i32.const 65528) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "div_between" (i32.const 1000) (i32.const 1)) (i32.const 1))

(assert_trap (invoke "reset" (i32.const 0) (i32.const 65534)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 0)) (i32.const 1))
(assert_return (invoke "reset" (i32.const 65532) (i32.const 400)))
(assert_return (invoke "peek" (i32.const 404)) (i32.const 2))
(assert_trap (invoke "reset_computed" (i32.const 600) (i32.const 65534)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 600)) (i32.const 1))
(assert_return (invoke "peek" (i32.const 604)) (i32.const 0))
(assert_trap (invoke "reset_tee" (i32.const 500) (i32.const 65534)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 500)) (i32.const 3))
(assert_return (invoke "peek8" (i32.const 65535)) (i32.const 4))

(assert_return (invoke "grow_between" (i32.const 65532)) (i32.const 2))
(assert_return (invoke "peek" (i32.const 65536)) (i32.const 9))
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 8))

;; A loop that grows memory and writes pairs ever further: each pair is checked against the
;; memory of its own iteration, and the pair past the maximum traps after its first store.
(module
  (memory 1 3)
  (func (export "fill_growing") (param $p i32) (result i32)
    (loop $next
      (i32.store (local.get $p) (i32.const 1))
      (i32.store offset=4 (local.get $p) (i32.const 2))
      (local.set $p (i32.add (local.get $p) (i32.const 65536)))
      (br_if $next (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (local.set $p (i32.sub (local.get $p) (i32.const 65532)))
    (i32.store (local.get $p) (i32.const 3))
    (i32.store offset=4 (local.get $p) (i32.const 4))
    (memory.size))
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
)
(assert_trap (invoke "fill_growing" (i32.const 65528)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 65528)) (i32.const 1))
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 2))
(assert_return (invoke "peek" (i32.const 131064)) (i32.const 1))
(assert_return (invoke "peek" (i32.const 131068)) (i32.const 2))
(assert_return (invoke "peek" (i32.const 196600)) (i32.const 1))
(assert_return (invoke "peek" (i32.const 196604)) (i32.const 3))

;; A call that grows memory between two accesses of one address.
(module
  (memory 1 2)
  (func $grow (drop (memory.grow (i32.const 1))))
  (func (export "call_between") (param $p i32) (result i32)
    (i32.store (local.get $p) (i32.const 5))
    (call $grow)
    (i32.store offset=4 (local.get $p) (i32.const 6))
    (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p))))
)
(assert_return (invoke "call_between" (i32.const 65532)) (i32.const 11))
(assert_trap (invoke "call_between" (i32.const 131068)) "out of bounds memory access")

;; Addresses with a known range inside the minimum memory need no check; one past it keeps its check.
(module
  (memory 1 2)
  (data (i32.const 65280) "\01\02\03")
  (func (export "masked") (param i32) (result i32) (i32.load offset=65532 (i32.and (local.get 0) (i32.const 3))))
  (func (export "masked_in") (param i32) (result i32) (i32.load8_u offset=65532 (i32.and (local.get 0) (i32.const 3))))
  (func (export "high_byte") (param i32) (result i32) (i32.load8_u (i32.shr_u (local.get 0) (i32.const 16))))
  (func (export "high_half") (param i32) (result i32) (i32.load16_u (i32.shr_u (local.get 0) (i32.const 16))))
  (func (export "rem") (param i32) (result i32) (i32.load8_u (i32.rem_u (local.get 0) (i32.const 65536))))
  (func (export "rem_past") (param i32) (result i32) (i32.load8_u (i32.rem_u (local.get 0) (i32.const 65537))))
  (func (export "sub_wraps") (param i32) (result i32) (i32.load8_u (i32.sub (i32.and (local.get 0) (i32.const 255)) (i32.const 1))))
  (func (export "shl_far") (param i32) (result i32) (i32.load8_u (i32.shl (i32.and (local.get 0) (i32.const 0xffff)) (i32.const 16))))
  (func (export "byte_index") (param i32) (result i32) (i32.load8_u offset=65280 (i32.load8_u (local.get 0))))
  (func (export "or_index") (param i32) (result i32) (i32.load8_u offset=65024 (i32.or (i32.and (local.get 0) (i32.const 255)) (i32.const 256))))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
)
(assert_return (invoke "masked" (i32.const 0)) (i32.const 0))
(assert_trap (invoke "masked" (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "masked_in" (i32.const -1)) (i32.const 0))
(assert_return (invoke "high_byte" (i32.const -1)) (i32.const 0))
(invoke "poke" (i32.const 65535) (i32.const 9))
(assert_return (invoke "high_byte" (i32.const -1)) (i32.const 9))
(assert_trap (invoke "high_half" (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "rem" (i32.const -1)) (i32.const 9))
(assert_trap (invoke "rem_past" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "sub_wraps" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "shl_far" (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "shl_far" (i32.const 0x10000)) (i32.const 0))
(invoke "poke" (i32.const 0) (i32.const 1))
(assert_return (invoke "byte_index" (i32.const 0)) (i32.const 2))
(assert_return (invoke "or_index" (i32.const 2)) (i32.const 3))
;; After memory.grow the larger memory is still checked against its new size.
(assert_return (invoke "grow") (i32.const 1))
(assert_return (invoke "masked" (i32.const 1)) (i32.const 0x90000))

;; An imported memory: its declared minimum is what the static ranges rely on.
(module
  (import "spectest" "memory" (memory 1))
  (func (export "low") (param i32) (result i32) (i32.load16_u offset=65534 (i32.and (local.get 0) (i32.const 0))))
  (func (export "past") (param i32) (result i32) (i32.load16_u offset=65534 (i32.and (local.get 0) (i32.const 1))))
)
(assert_return (invoke "low" (i32.const -1)) (i32.const 0))
(assert_trap (invoke "past" (i32.const 1)) "out of bounds memory access")
