//! The wasm's memory allocator: power-of-two size classes, each with a free list.
//!
//! It replaces Rust's default for wasm32 (dlmalloc): 7 KB less code, and an allocation or
//! a free is a push or a pop. A block freed to a class stays in that class (blocks are
//! never split, merged or given back), which suits this library: every call allocates and
//! frees the same shapes again and again, so the heap reaches its size on the first pages
//! of a walk and stays there (the memory benchmark checks it over 100 000 keys). A `realloc`
//! within the same class keeps the block, so a growing `Vec` moves once per doubling.

use core::alloc::Layout;
use core::ptr;

/// The unit the memory grows by: a wasm page.
pub const PAGE: usize = 65_536;
/// The smallest block: room for the free list's link.
const MIN_CLASS: u32 = 3;
/// Blocks are carved aligned to their size, up to this.
const CARVE_ALIGN: usize = 16;
/// Classes `MIN_CLASS..CLASSES`, the largest holding blocks of half the address space.
const CLASSES: usize = 32;

/// Where the heap's memory comes from.
pub trait Grow {
    /// Adds `pages` pages to the memory and returns the address of the first, or `None`.
    fn grow(&mut self, pages: usize) -> Option<usize>;
}

/// The allocator over a memory that only grows. Not thread-safe: the wasm has one thread.
pub struct Heap<M> {
    /// Per class, the address of the first free block (0 when none); a free block's first
    /// word holds the address of the next.
    free: [usize; CLASSES],
    /// The untouched memory: `next..end`.
    next: usize,
    end: usize,
    memory: M,
}

impl<M: Grow> Heap<M> {
    pub const fn new(memory: M) -> Heap<M> {
        Heap { free: [0; CLASSES], next: 0, end: 0, memory }
    }

    /// # Safety
    /// As `GlobalAlloc::alloc`.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout.size(), layout.align()) else {
            return ptr::null_mut();
        };
        let head = self.free[class];
        if head != 0 && head & (layout.align() - 1) == 0 { // an alignment is a power of two
            self.free[class] = (head as *const usize).read();
            return head as *mut u8;
        }
        let size = 1 << class;
        self.carve(size, layout.align().max(size.min(CARVE_ALIGN)))
    }

    /// # Safety
    /// As `GlobalAlloc::dealloc`.
    pub unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        if let Some(class) = class_of(layout.size(), layout.align()) {
            (block as *mut usize).write(self.free[class]);
            self.free[class] = block as usize;
        }
    }

    /// # Safety
    /// As `GlobalAlloc::realloc`.
    pub unsafe fn realloc(&mut self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if class_of(layout.size(), layout.align()) == class_of(new_size, layout.align()) {
            return block;
        }
        let moved = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !moved.is_null() {
            ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }

    /// A new block from the untouched memory, growing it when short. Every sum is checked:
    /// on wasm32 an address near 4 GiB plus a large alignment would wrap.
    fn carve(&mut self, size: usize, align: usize) -> *mut u8 {
        let start = match self.room(size, align) {
            Some(start) => start,
            None => {
                let Some(pages) = size.checked_add(align).map(|bytes| bytes.div_ceil(PAGE)) else {
                    return ptr::null_mut();
                };
                let Some(base) = self.memory.grow(pages) else {
                    return ptr::null_mut();
                };
                if base != self.end {
                    self.next = base; // not contiguous: what was left of the old stretch is dropped
                }
                // A stretch ending at the very top (4 GiB on wasm32) loses its last byte.
                self.end = base.saturating_add(pages.saturating_mul(PAGE));
                let Some(start) = self.room(size, align) else {
                    return ptr::null_mut();
                };
                start
            }
        };
        self.next = start + size; // `room` checked this sum
        start as *mut u8
    }

    /// Where a block of `size` bytes aligned to `align` starts in the untouched memory, if it fits.
    fn room(&self, size: usize, align: usize) -> Option<usize> {
        let start = align_up(self.next, align)?;
        (start.checked_add(size)? <= self.end).then_some(start)
    }
}

/// The class of a block for `size` bytes aligned to `align`: the power of two that holds both.
fn class_of(size: usize, align: usize) -> Option<usize> {
    let bytes = size.max(align).max(1 << MIN_CLASS);
    let class = (usize::BITS - (bytes - 1).leading_zeros()) as usize;
    (class < CLASSES).then_some(class)
}

fn align_up(address: usize, align: usize) -> Option<usize> {
    Some(address.checked_add(align - 1)? & !(align - 1))
}

/// The global allocator of the wasm build (wasm32 without threads only: `Heap` has no lock).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod wasm {
    use super::{Grow, Heap, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    struct WasmMemory;

    impl Grow for WasmMemory {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            let old = core::arch::wasm32::memory_grow(0, pages);
            (old != usize::MAX).then(|| old * PAGE)
        }
    }

    struct Global(UnsafeCell<Heap<WasmMemory>>);

    // One thread: wasm32 without the atomics feature cannot share memory.
    unsafe impl Sync for Global {}

    unsafe impl GlobalAlloc for Global {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            (*self.0.get()).alloc(layout)
        }
        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            (*self.0.get()).dealloc(block, layout)
        }
        unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            (*self.0.get()).realloc(block, layout, new_size)
        }
    }

    #[global_allocator]
    static ALLOCATOR: Global = Global(UnsafeCell::new(Heap::new(WasmMemory)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A fixed stretch of native memory handed out a page at a time, as the wasm's grows.
    struct Arena {
        base: *mut u8,
        pages: usize,
        used: usize,
    }

    impl Arena {
        fn new(pages: usize) -> Arena {
            let base = unsafe { std::alloc::alloc_zeroed(Layout::from_size_align(pages * PAGE, PAGE).unwrap()) };
            assert!(!base.is_null());
            Arena { base, pages, used: 0 }
        }
    }

    impl Drop for Arena {
        fn drop(&mut self) {
            unsafe { std::alloc::dealloc(self.base, Layout::from_size_align(self.pages * PAGE, PAGE).unwrap()) }
        }
    }

    impl Grow for Arena {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            if self.used + pages > self.pages {
                return None;
            }
            let start = self.base as usize + self.used * PAGE;
            self.used += pages;
            Some(start)
        }
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn a_freed_block_is_handed_out_again_for_the_same_class() {
        let mut heap = Heap::new(Arena::new(4));
        unsafe {
            let first = heap.alloc(layout(100, 8));
            heap.dealloc(first, layout(100, 8));
            assert_eq!(heap.alloc(layout(120, 4)), first, "100 and 120 bytes share the 128-byte class");
            assert_ne!(heap.alloc(layout(100, 8)), first);
        }
    }

    #[test]
    fn realloc_within_the_class_keeps_the_block_and_beyond_it_moves_the_bytes() {
        let mut heap = Heap::new(Arena::new(4));
        unsafe {
            let block = heap.alloc(layout(40, 1));
            block.copy_from(b"0123456789".as_ptr(), 10);
            assert_eq!(heap.realloc(block, layout(40, 1), 64), block);
            let moved = heap.realloc(block, layout(64, 1), 65);
            assert_ne!(moved, block);
            assert_eq!(std::slice::from_raw_parts(moved, 10), b"0123456789");
        }
    }

    #[test]
    fn out_of_memory_is_a_null_pointer_not_a_panic() {
        let mut heap = Heap::new(Arena::new(3));
        unsafe {
            assert!(!heap.alloc(layout(PAGE, 8)).is_null());
            assert!(heap.alloc(layout(2 * PAGE, 8)).is_null());
            assert!(heap.alloc(layout(isize::MAX as usize & !7, 8)).is_null());
            assert!(!heap.alloc(layout(64, 8)).is_null(), "a small block still fits after a refusal");
        }
    }

    #[test]
    fn alignment_near_the_top_of_the_address_space_is_refused_not_wrapped() {
        assert_eq!(align_up(usize::MAX - 3, 16), None);
        assert_eq!(align_up(17, 16), Some(32));
        assert_eq!(align_up(32, 16), Some(32));
    }

    #[test]
    fn repeating_the_same_work_does_not_grow_the_memory() {
        let mut heap = Heap::new(Arena::new(64));
        let round = |heap: &mut Heap<Arena>| unsafe {
            let mut blocks = Vec::new();
            for i in 1..200 {
                let size = (i * 37) % 3000 + 1;
                blocks.push((heap.alloc(layout(size, 8)), size));
            }
            let big = heap.alloc(layout(10, 1));
            let big = heap.realloc(big, layout(10, 1), 60_000);
            heap.dealloc(big, layout(60_000, 1));
            for (block, size) in blocks.into_iter().rev() {
                heap.dealloc(block, layout(size, 8));
            }
        };
        round(&mut heap);
        let after_first = heap.memory.used;
        for _ in 0..50 {
            round(&mut heap);
        }
        assert_eq!(heap.memory.used, after_first);
    }

    #[derive(Debug, Clone)]
    enum Step {
        Alloc { size: usize, align_log2: u32 },
        Free(usize),
        Realloc(usize, usize),
    }

    fn step() -> impl Strategy<Value = Step> {
        let size = prop_oneof![1usize..64, 1usize..5000, 1usize..200_000];
        prop_oneof![
            3 => (size.clone(), 0u32..7).prop_map(|(size, align_log2)| Step::Alloc { size, align_log2 }),
            2 => any::<usize>().prop_map(Step::Free),
            2 => (any::<usize>(), size).prop_map(|(pick, size)| Step::Realloc(pick, size)),
        ]
    }

    /// Fills a block with its owner's mark, so that overlapping blocks show up as lost bytes.
    unsafe fn mark(block: *mut u8, size: usize, owner: u8) {
        block.write_bytes(owner, size);
    }

    unsafe fn intact(block: *mut u8, size: usize, owner: u8) -> bool {
        std::slice::from_raw_parts(block, size).iter().all(|&byte| byte == owner)
    }

    proptest! {
        #[test]
        fn live_blocks_are_aligned_never_overlap_and_keep_their_bytes(steps in prop::collection::vec(step(), 1..120)) {
            let mut heap = Heap::new(Arena::new(256));
            let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
            let mut owner = 0u8;
            for step in steps {
                unsafe {
                    match step {
                        Step::Alloc { size, align_log2 } => {
                            let wanted = layout(size, 1 << align_log2);
                            let block = heap.alloc(wanted);
                            prop_assert!(!block.is_null());
                            prop_assert_eq!(block as usize % wanted.align(), 0);
                            owner = owner.wrapping_add(1);
                            mark(block, size, owner);
                            live.push((block, wanted, owner));
                        }
                        Step::Free(pick) if !live.is_empty() => {
                            let (block, wanted, owner) = live.swap_remove(pick % live.len());
                            prop_assert!(intact(block, wanted.size(), owner));
                            heap.dealloc(block, wanted);
                        }
                        Step::Realloc(pick, size) if !live.is_empty() => {
                            let at = pick % live.len();
                            let (block, wanted, owner) = live[at];
                            prop_assert!(intact(block, wanted.size(), owner));
                            let moved = heap.realloc(block, wanted, size);
                            prop_assert!(!moved.is_null());
                            prop_assert_eq!(moved as usize % wanted.align(), 0);
                            prop_assert!(intact(moved, wanted.size().min(size), owner));
                            mark(moved, size, owner);
                            live[at] = (moved, layout(size, wanted.align()), owner);
                        }
                        _ => {}
                    }
                }
            }
            for (block, wanted, owner) in live {
                let kept = unsafe { intact(block, wanted.size(), owner) };
                prop_assert!(kept);
            }
        }
    }
}
