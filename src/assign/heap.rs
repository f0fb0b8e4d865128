//! The indexed binary heap of the flow engine's Dijkstra (`flow.rs`). Keys are the engine's
//! `Cost` (`i128`), named by type here so the heap does not import the engine back.

/// A binary min-heap of node ids keyed by `dist`, with positions for decrease-key, so it
/// never holds more entries than nodes although the judge nodes are relaxed again and again.
pub(super) struct IndexedHeap {
    heap: Vec<u32>,
    pos: Vec<u32>,
}

const ABSENT: u32 = u32::MAX;

impl IndexedHeap {
    pub(super) fn new(n: usize) -> IndexedHeap {
        IndexedHeap {
            heap: Vec::new(),
            pos: vec![ABSENT; n],
        }
    }

    pub(super) fn clear(&mut self) {
        for &v in &self.heap {
            self.pos[v as usize] = ABSENT;
        }
        self.heap.clear();
    }

    pub(super) fn push_or_decrease(&mut self, v: usize, key: &[i128]) {
        let i = if self.pos[v] == ABSENT {
            self.heap.push(v as u32);
            self.heap.len() - 1
        } else {
            self.pos[v] as usize
        };
        self.pos[v] = i as u32;
        self.up(i, key);
    }

    pub(super) fn pop(&mut self, key: &[i128]) -> Option<usize> {
        let top = *self.heap.first()? as usize;
        let last = self.heap.pop()?;
        self.pos[top] = ABSENT;
        if !self.heap.is_empty() {
            self.heap[0] = last;
            self.pos[last as usize] = 0;
            self.down(0, key);
        }
        Some(top)
    }

    fn up(&mut self, mut i: usize, key: &[i128]) {
        while i > 0 {
            let p = (i - 1) / 2;
            if key[self.heap[p] as usize] <= key[self.heap[i] as usize] {
                break;
            }
            self.swap(i, p);
            i = p;
        }
    }

    fn down(&mut self, mut i: usize, key: &[i128]) {
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut m = i;
            if l < self.heap.len() && key[self.heap[l] as usize] < key[self.heap[m] as usize] {
                m = l;
            }
            if r < self.heap.len() && key[self.heap[r] as usize] < key[self.heap[m] as usize] {
                m = r;
            }
            if m == i {
                return;
            }
            self.swap(i, m);
            i = m;
        }
    }

    pub(super) fn swap(&mut self, a: usize, b: usize) {
        self.heap.swap(a, b);
        self.pos[self.heap[a] as usize] = a as u32;
        self.pos[self.heap[b] as usize] = b as u32;
    }
}
