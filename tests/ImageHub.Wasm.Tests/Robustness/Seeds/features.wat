;; A seed for the robustness test: one small module that touches every section and
;; most instruction families of WebAssembly 2.0 (no SIMD), so that mutations of it
;; reach every part of the decoder, the validator and the compiler.
(module
  (type $binary (func (param i32 i32) (result i32)))
  (type $pair (func (param i64) (result i64 i64)))
  (import "env" "host_add" (func $host_add (type $binary)))
  (import "env" "log" (func $log (param i32)))

  (memory $memory 1 4)
  (table $functions 4 16 funcref)
  (table $objects 2 externref)
  (global $counter (mut i32) (i32.const 0))
  (global $big i64 (i64.const 0x7fff_ffff_ffff))
  (global $half f64 (f64.const 0.5))
  (global $nothing (mut funcref) (ref.null func))

  (export "memory" (memory $memory))
  (export "counter" (global $counter))
  (export "functions" (table $functions))
  (export "sum_to" (func $sum_to))
  (export "fact" (func $fact))
  (export "dispatch" (func $dispatch))
  (export "bytes" (func $bytes))
  (export "floats" (func $floats))
  (export "split" (func $split))
  (export "tables" (func $tables))
  (export "grow" (func $grow))
  (export "classify" (func $classify))
  (export "convert" (func $convert))

  (start $init)

  (elem $active (table $functions) (i32.const 0) func $fact $sum_to $add_via_host $add_via_host)
  (elem $passive funcref (ref.func $fact) (ref.null func))
  (elem declare func $classify)
  (data $greeting (i32.const 16) "hello, robustness\n")
  (data $spare "0123456789abcdef")

  (func $init
    (global.set $counter (i32.const 1)))

  (func $add_via_host (type $binary)
    (call $host_add (local.get 0) (local.get 1)))

  (func $sum_to (param $n i32) (result i32)
    (local $total i32)
    (block $done
      (loop $next
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $total (i32.add (local.get $total) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $total))

  (func $fact (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i32.const 1))
      (else (i32.mul (local.get $n) (call $fact (i32.sub (local.get $n) (i32.const 1)))))))

  (func $dispatch (param $which i32) (param $x i32) (result i32)
    (call_indirect $functions (type $binary)
      (local.get $x) (i32.const 3) (local.get $which)))

  (func $bytes (param $length i32) (result i32)
    (memory.copy (i32.const 1024) (i32.const 16) (local.get $length))
    (memory.fill (i32.const 2048) (i32.const 0x5a) (local.get $length))
    (memory.init $spare (i32.const 4096) (i32.const 0) (i32.const 16))
    (data.drop $spare)
    (call $log (i32.load8_u offset=1024 (i32.const 0)))
    (i32.add
      (i32.load offset=2 align=1 (i32.const 1024))
      (i32.extend8_s (i32.load8_u (i32.const 4096)))))

  (func $floats (param $x f64) (result f64)
    (local $y f32)
    (local.set $y (f32.demote_f64 (f64.mul (local.get $x) (global.get $half))))
    (f64.add
      (f64.sqrt (f64.abs (local.get $x)))
      (f64.promote_f32 (f32.copysign (f32.nearest (local.get $y)) (f32.const -0.0)))))

  (func $split (type $pair)
    (i64.shr_u (local.get 0) (i64.const 32))
    (i64.and (local.get 0) (i64.const 0xffffffff)))

  (func $tables (param $i i32) (result i32)
    (table.set $objects (i32.const 0) (ref.null extern))
    (table.init $functions $passive (i32.const 2) (i32.const 0) (i32.const 2))
    (elem.drop $passive)
    (drop (table.grow $functions (ref.null func) (i32.const 1)))
    (table.fill $functions (i32.const 3) (ref.func $classify) (i32.const 1))
    (i32.add
      (table.size $functions)
      (ref.is_null (table.get $functions (local.get $i)))))

  (func $grow (param $pages i32) (result i32)
    (memory.grow (local.get $pages)))

  (func $classify (param $x i32) (result i32)
    (block $c (block $b (block $a
      (br_table $a $b $c (local.get $x)))
      (return (i32.const 10)))
      (return (i32.const 20)))
    (select (i32.const 30) (i32.const 40) (i32.eqz (local.get $x))))

  (func $convert (param $x f32) (result i64)
    (local $pair_hi i64)
    (local $pair_lo i64)
    (i64.add
      (i64.trunc_sat_f32_s (local.get $x))
      (block (result i64)
        (i64.trunc_f64_u (f64.promote_f32 (f32.abs (local.get $x))))
        (call $split (global.get $big))
        (local.set $pair_lo)
        (local.set $pair_hi)
        (i64.add (local.get $pair_hi))
        (i64.extend32_s)
        (i64.rotl (local.get $pair_lo))
        (i64.div_s (i64.const 1000))
        (i64.rem_u (i64.const 7))
        (i64.add (i64.extend_i32_u (i32.wrap_i64 (local.get $pair_lo))))
        (i64.add (i64.reinterpret_f64 (f64.convert_i64_s (local.get $pair_hi))))
        (i64.popcnt)
        (i64.clz)))))
