//! A small seeded random number generator for tests that must reproduce: the same seed gives the
//! same sequence on every machine, so a failure can name its case and be replayed.

/// xorshift64*: small, fast and the same everywhere.
pub struct Rng(u64);

impl Rng {
    /// A generator whose state starts at `seed` (not 0, which xorshift never leaves).
    pub fn new(seed: u64) -> Self {
        assert_ne!(seed, 0, "xorshift needs a seed other than 0");
        Rng(seed)
    }

    /// A generator for any `seed` (0 included), its state mixed first: the sequence of
    /// `examples/synth.rs`, which the privacy detector's disguise test keeps frozen.
    pub fn mixed(seed: u64) -> Self {
        let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for _ in 0..8 {
            r.next_u64();
        }
        r
    }

    /// `n` random decimal digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-enough integer in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True `percent` times in 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
