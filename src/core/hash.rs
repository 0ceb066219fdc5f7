// SPDX-License-Identifier: GPL-2.0

//! SipHash-2-4 of one 64-bit value, so that kernel addresses can be told apart
//! (same address, same hash) without ever being printed.
//!
//! The key is random per module load; the hash is truncated to 32 bits,
//! which is plenty to tell the pointers of one trace apart and gives nothing
//! away about the address.

/// The SipHash state: four 64-bit words.
struct SipState {
    v0: u64,
    v1: u64,
    v2: u64,
    v3: u64,
}

impl SipState {
    /// One SipRound.
    fn round(&mut self) {
        self.v0 = self.v0.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(13);
        self.v1 ^= self.v0;
        self.v0 = self.v0.rotate_left(32);
        self.v2 = self.v2.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(16);
        self.v3 ^= self.v2;
        self.v0 = self.v0.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(21);
        self.v3 ^= self.v0;
        self.v2 = self.v2.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(17);
        self.v1 ^= self.v2;
        self.v2 = self.v2.rotate_left(32);
    }

    /// Absorbs one 8-byte message block with two compression rounds.
    fn compress(&mut self, block: u64) {
        self.v3 ^= block;
        self.round();
        self.round();
        self.v0 ^= block;
    }
}

/// The full 64-bit SipHash-2-4 of the 8 little-endian bytes of `value`, with
/// the 128-bit key `k0 = key[0]`, `k1 = key[1]` (each the little-endian
/// reading of 8 key bytes, as in the reference implementation).
pub fn siphash24_u64(value: u64, key: &[u64; 2]) -> u64 {
    let [k0, k1] = *key;
    let mut s = SipState {
        v0: k0 ^ 0x736f_6d65_7073_6575,
        v1: k1 ^ 0x646f_7261_6e64_6f6d,
        v2: k0 ^ 0x6c79_6765_6e65_7261,
        v3: k1 ^ 0x7465_6462_7974_6573,
    };
    // The one full block, then the final block: no tail bytes, and the
    // message length (8) in the top byte.
    s.compress(value);
    s.compress(8 << 56);
    s.v2 ^= 0xff;
    s.round();
    s.round();
    s.round();
    s.round();
    s.v0 ^ s.v1 ^ s.v2 ^ s.v3
}

/// The printable stand-in for a kernel address: SipHash-2-4 of the 8
/// little-endian bytes of `value` with `key`, truncated to its low 32 bits.
pub fn hash_addr(value: u64, key: &[u64; 2]) -> u32 {
    // Truncation to the low half is the point.
    siphash24_u64(value, key) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference key: bytes 00..0f.
    const REF_KEY: [u64; 2] = [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908];

    /// Outputs of the reference implementation for key 00..0f and messages
    /// 00, 00 01, ..., 00..0e (lengths 0 to 15), as little-endian bytes.
    const REF_VECTORS: [[u8; 8]; 16] = [
        [0x31, 0x0e, 0x0e, 0xdd, 0x47, 0xdb, 0x6f, 0x72],
        [0xfd, 0x67, 0xdc, 0x93, 0xc5, 0x39, 0xf8, 0x74],
        [0x5a, 0x4f, 0xa9, 0xd9, 0x09, 0x80, 0x6c, 0x0d],
        [0x2d, 0x7e, 0xfb, 0xd7, 0x96, 0x66, 0x67, 0x85],
        [0xb7, 0x87, 0x71, 0x27, 0xe0, 0x94, 0x27, 0xcf],
        [0x8d, 0xa6, 0x99, 0xcd, 0x64, 0x55, 0x76, 0x18],
        [0xce, 0xe3, 0xfe, 0x58, 0x6e, 0x46, 0xc9, 0xcb],
        [0x37, 0xd1, 0x01, 0x8b, 0xf5, 0x00, 0x02, 0xab],
        [0x62, 0x24, 0x93, 0x9a, 0x79, 0xf5, 0xf5, 0x93],
        [0xb0, 0xe4, 0xa9, 0x0b, 0xdf, 0x82, 0x00, 0x9e],
        [0xf3, 0xb9, 0xdd, 0x94, 0xc5, 0xbb, 0x5d, 0x7a],
        [0xa7, 0xad, 0x6b, 0x22, 0x46, 0x2f, 0xb3, 0xf4],
        [0xfb, 0xe5, 0x0e, 0x86, 0xbc, 0x8f, 0x1e, 0x75],
        [0x90, 0x3d, 0x84, 0xc0, 0x27, 0x56, 0xea, 0x14],
        [0xee, 0xf2, 0x7a, 0x8e, 0x90, 0xca, 0x23, 0xf7],
        [0xe5, 0x45, 0xbe, 0x49, 0x61, 0xca, 0x29, 0xa1],
    ];

    /// SipHash-2-4 of a message of any length, written straight from the
    /// paper: the oracle for `siphash24_u64`.
    fn siphash24_bytes(msg: &[u8], key: &[u64; 2]) -> u64 {
        let mut s = SipState {
            v0: key[0] ^ 0x736f6d6570736575,
            v1: key[1] ^ 0x646f72616e646f6d,
            v2: key[0] ^ 0x6c7967656e657261,
            v3: key[1] ^ 0x7465646279746573,
        };
        let mut chunks = msg.chunks_exact(8);
        for chunk in &mut chunks {
            s.compress(u64::from_le_bytes(chunk.try_into().unwrap()));
        }
        let mut last = (msg.len() as u64 & 0xff) << 56;
        for (i, &b) in chunks.remainder().iter().enumerate() {
            last |= u64::from(b) << (8 * i);
        }
        s.compress(last);
        s.v2 ^= 0xff;
        for _ in 0..4 {
            s.round();
        }
        s.v0 ^ s.v1 ^ s.v2 ^ s.v3
    }

    #[test]
    fn matches_the_reference_vector_for_eight_bytes() {
        assert_eq!(
            siphash24_u64(0x0706_0504_0302_0100, &REF_KEY),
            0x93f5_f579_9a93_2462
        );
        assert_eq!(hash_addr(0x0706_0504_0302_0100, &REF_KEY), 0x9a93_2462);
    }

    #[test]
    fn oracle_matches_the_reference_vectors() {
        let msg: [u8; 16] = core::array::from_fn(|i| i as u8);
        for (len, expected) in REF_VECTORS.iter().enumerate() {
            assert_eq!(
                siphash24_bytes(&msg[..len], &REF_KEY),
                u64::from_le_bytes(*expected),
                "length {len}"
            );
        }
    }

    #[test]
    fn agrees_with_the_oracle_on_many_values_and_keys() {
        let keys = [
            REF_KEY,
            [0, 0],
            [u64::MAX, u64::MAX],
            [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210],
        ];
        let mut value: u64 = 0x9e37_79b9_7f4a_7c15;
        for key in &keys {
            for _ in 0..1000 {
                value = value
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let expected = siphash24_bytes(&value.to_le_bytes(), key);
                assert_eq!(siphash24_u64(value, key), expected);
                assert_eq!(hash_addr(value, key), expected as u32);
            }
            for value in [0, 1, u64::MAX, 0xffff_8880_0000_0000] {
                assert_eq!(
                    siphash24_u64(value, key),
                    siphash24_bytes(&value.to_le_bytes(), key)
                );
            }
        }
    }

    #[test]
    fn depends_on_the_key_and_the_value() {
        let ptr = 0xffff_8880_03a1_b2c0;
        let a = hash_addr(ptr, &[1, 2]);
        assert_eq!(a, hash_addr(ptr, &[1, 2]));
        assert_ne!(a, hash_addr(ptr, &[1, 3]));
        assert_ne!(a, hash_addr(ptr, &[3, 2]));
        assert_ne!(a, hash_addr(ptr + 8, &[1, 2]));
    }
}
