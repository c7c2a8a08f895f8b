;; Multi-literal prefilter for log bytes (the "Teddy" idea: nibble lookups with SIMD shuffles), in WebAssembly
;; SIMD128. `npm run build:wasm` assembles this file into teddy-wasm.ts; a unit test checks the two agree.
;;
;; Up to 64 four-byte fingerprints sit in 8 buckets. For each input byte and each fingerprint position p (0..3)
;; two 16-byte tables give the buckets whose byte p has that low nibble and that high nibble; a byte matches a
;; bucket at p when both do. Four such results, shifted so that they line up on the fingerprint's last byte and
;; ANDed, nominate candidate positions; every candidate is then compared in full against the fingerprints of its
;; buckets, so the output holds exact four-byte matches only. Newlines are counted on the way, so each match also
;; carries the number of newlines before it.
;;
;; Memory layout (the host writes the tables and the data):
;;   0..127     lo0 hi0 lo1 hi1 lo2 hi2 lo3 hi3 (16 bytes each)
;;   192..207   scratch: one block's bucket bits
;;   208..239   scratch: the previous block and this one, side by side (a candidate may start in the previous block)
;;   256..543   8 buckets x (count:u32, 8 fingerprints:u32 little-endian)
;;   out        caller's match area: (start:i32, newlines before:i32) pairs
;;   p..p+len   the data, followed by at least 16 zero bytes (no fingerprint holds a zero byte or a newline)
;; An input may come in several pieces, each but the last a multiple of 16 bytes long: `reset` starts an input,
;; setting `pos` to 0 starts its next piece (the lookups of the last block and the count of newlines carry over).
;; A call scans the piece from `pos` and stops early when `max` matches might not fit; the next call resumes there.
;; Match starts are relative to the piece and may be negative (a match that began in the previous piece).
(module
  (memory (export "memory") 2)
  (global $pos (export "pos") (mut i32) (i32.const 0))
  (global $lines (export "lines") (mut i32) (i32.const 0))
  (global $g0 (mut v128) (v128.const i64x2 0 0))
  (global $g1 (mut v128) (v128.const i64x2 0 0))
  (global $g2 (mut v128) (v128.const i64x2 0 0))
  (global $prev (mut v128) (v128.const i64x2 0 0))

  (func (export "reset")
    (global.set $pos (i32.const 0))
    (global.set $lines (i32.const 0))
    (global.set $g0 (v128.const i64x2 0 0))
    (global.set $g1 (v128.const i64x2 0 0))
    (global.set $g2 (v128.const i64x2 0 0))
    (global.set $prev (v128.const i64x2 0 0)))

  ;; Checks the candidates of the block at p+i (bucket bits per lane in $m; lane j is a candidate's last byte) and
  ;; appends the exact matches to out; returns the new match count. A fingerprint holds no newline, so the newlines before a match are those before its last byte.
  (func $verify (param $p i32) (param $i i32) (param $m v128) (param $nlmask i32) (param $nl i32) (param $out i32) (param $n i32) (result i32)
    (local $mask i32) (local $j i32) (local $bk i32) (local $word i32) (local $f i32) (local $c i32) (local $at i32)
    (local.set $mask (i32.xor (i8x16.bitmask (i8x16.eq (local.get $m) (v128.const i64x2 0 0))) (i32.const 0xffff)))
    (v128.store (i32.const 192) (local.get $m))
    ;; The previous block is in memory, or for a piece's first block it is the last one of the piece before.
    (v128.store (i32.const 208) (if (result v128) (local.get $i)
      (then (v128.load (i32.sub (i32.add (local.get $p) (local.get $i)) (i32.const 16))))
      (else (global.get $prev))))
    (v128.store (i32.const 224) (v128.load (i32.add (local.get $p) (local.get $i))))
    (block $done
      (loop $candidate
        (br_if $done (i32.eqz (local.get $mask)))
        (local.set $j (i32.ctz (local.get $mask)))
        (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
        (local.set $bk (i32.load8_u offset=192 (local.get $j)))
        (local.set $word (i32.load offset=221 (local.get $j)))
        (block $found
          (loop $bucket
            (br_if $candidate (i32.eqz (local.get $bk)))
            (local.set $f (i32.add (i32.const 256) (i32.mul (i32.ctz (local.get $bk)) (i32.const 36))))
            (local.set $bk (i32.and (local.get $bk) (i32.sub (local.get $bk) (i32.const 1))))
            (local.set $c (i32.load (local.get $f)))
            (block $next
              (loop $fingerprint
                (br_if $next (i32.eqz (local.get $c)))
                (local.set $f (i32.add (local.get $f) (i32.const 4)))
                (local.set $c (i32.sub (local.get $c) (i32.const 1)))
                (br_if $found (i32.eq (i32.load (local.get $f)) (local.get $word)))
                (br $fingerprint)))
            (br $bucket)))
        (local.set $at (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
        (i32.store (local.get $at) (i32.sub (i32.add (local.get $i) (local.get $j)) (i32.const 3)))
        (i32.store offset=4 (local.get $at) (i32.add (local.get $nl)
          (i32.popcnt (i32.and (local.get $nlmask) (i32.sub (i32.shl (i32.const 1) (local.get $j)) (i32.const 1))))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $candidate)))
    (local.get $n))

  ;; Scans the piece p[pos..len) 16 bytes at a time; returns the number of matches written to out (at most max).
  (func (export "scan") (param $p i32) (param $len i32) (param $out i32) (param $max i32) (result i32)
    (local $i i32) (local $n i32) (local $nl i32) (local $nlmask i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $lo2 v128) (local $hi2 v128) (local $lo3 v128) (local $hi3 v128)
    (local $nib v128) (local $newline v128) (local $b v128) (local $l v128) (local $h v128) (local $m v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $q0 v128) (local $q1 v128) (local $q2 v128)
    (local.set $lo0 (v128.load (i32.const 0)))
    (local.set $hi0 (v128.load (i32.const 16)))
    (local.set $lo1 (v128.load (i32.const 32)))
    (local.set $hi1 (v128.load (i32.const 48)))
    (local.set $lo2 (v128.load (i32.const 64)))
    (local.set $hi2 (v128.load (i32.const 80)))
    (local.set $lo3 (v128.load (i32.const 96)))
    (local.set $hi3 (v128.load (i32.const 112)))
    (local.set $nib (i8x16.splat (i32.const 15)))
    (local.set $newline (i8x16.splat (i32.const 10)))
    (local.set $i (global.get $pos))
    (local.set $nl (global.get $lines))
    (local.set $q0 (global.get $g0))
    (local.set $q1 (global.get $g1))
    (local.set $q2 (global.get $g2))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (br_if $done (i32.gt_u (i32.add (local.get $n) (i32.const 16)) (local.get $max)))
        (local.set $b (v128.load (i32.add (local.get $p) (local.get $i))))
        (local.set $l (v128.and (local.get $b) (local.get $nib)))
        (local.set $h (v128.and (i16x8.shr_u (local.get $b) (i32.const 4)) (local.get $nib)))
        (local.set $r0 (v128.and (i8x16.swizzle (local.get $lo0) (local.get $l)) (i8x16.swizzle (local.get $hi0) (local.get $h))))
        (local.set $r1 (v128.and (i8x16.swizzle (local.get $lo1) (local.get $l)) (i8x16.swizzle (local.get $hi1) (local.get $h))))
        (local.set $r2 (v128.and (i8x16.swizzle (local.get $lo2) (local.get $l)) (i8x16.swizzle (local.get $hi2) (local.get $h))))
        (local.set $r3 (v128.and (i8x16.swizzle (local.get $lo3) (local.get $l)) (i8x16.swizzle (local.get $hi3) (local.get $h))))
        ;; Lane j: byte 0 matched at j-3, byte 1 at j-2, byte 2 at j-1 (reaching into the previous block), byte 3 at j.
        (local.set $m (v128.and
          (v128.and
            (i8x16.shuffle 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 (local.get $q0) (local.get $r0))
            (i8x16.shuffle 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 (local.get $q1) (local.get $r1)))
          (v128.and
            (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 (local.get $q2) (local.get $r2))
            (local.get $r3))))
        (local.set $q0 (local.get $r0))
        (local.set $q1 (local.get $r1))
        (local.set $q2 (local.get $r2))
        (local.set $nlmask (i8x16.bitmask (i8x16.eq (local.get $b) (local.get $newline))))
        (if (v128.any_true (local.get $m))
          (then (local.set $n (call $verify (local.get $p) (local.get $i) (local.get $m) (local.get $nlmask) (local.get $nl) (local.get $out) (local.get $n)))))
        (local.set $nl (i32.add (local.get $nl) (i32.popcnt (local.get $nlmask))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $block)))
    (global.set $pos (local.get $i))
    (global.set $lines (local.get $nl))
    (global.set $g0 (local.get $q0))
    (global.set $g1 (local.get $q1))
    (global.set $g2 (local.get $q2))
    (if (local.get $i) (then (global.set $prev (v128.load (i32.sub (i32.add (local.get $p) (local.get $i)) (i32.const 16))))))
    (local.get $n))
)
