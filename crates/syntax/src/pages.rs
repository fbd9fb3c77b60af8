//! Arrays in memory that the kernel is asked to back with huge pages.
//!
//! The weight tables are tens of megabytes read at random, one cache line
//! per feature: with 4 KiB pages nearly every lookup also misses the TLB
//! and walks the page tables. Backed by 2 MiB pages the same table needs a
//! few dozen TLB entries: extraction runs about 10% faster, tagging and
//! parsing alone 10–30% (runs of the benches taken in turn, Linux with
//! transparent huge pages in `madvise` mode, the common default).
//!
//! The memory is an anonymous mapping (zeroed by the kernel) advised with
//! `MADV_HUGEPAGE` before it is first touched. Where that is not possible
//! (another system, a failed mapping) the array lives on the heap: the
//! values and the results are the same, only slower.

use bytemuck::Pod;
use memmap2::MmapMut;

/// A fixed-length array of plain values, zeroed when made.
pub(crate) struct PageArray<T: Pod> {
    store: Store<T>,
}

enum Store<T> {
    Mapped { map: MmapMut, len: usize },
    Heap(Vec<T>),
}

impl<T: Pod> PageArray<T> {
    /// `len` zeroed values, in huge pages where the system gives them.
    pub(crate) fn zeroed(len: usize) -> PageArray<T> {
        let bytes = len.saturating_mul(std::mem::size_of::<T>());
        // Below one huge page the heap does as well.
        if bytes >= HUGE_PAGE {
            if let Some(map) = mapped(bytes) {
                // A mapping is page-aligned, which suits any `T` here; the
                // check keeps that an invariant rather than an assumption.
                if bytemuck::try_cast_slice::<u8, T>(&map[..bytes]).is_ok() {
                    return PageArray {
                        store: Store::Mapped { map, len },
                    };
                }
            }
        }
        PageArray {
            store: Store::Heap(vec![T::zeroed(); len]),
        }
    }

    /// A copy of `values` in huge pages where the system gives them.
    pub(crate) fn from_slice(values: &[T]) -> PageArray<T> {
        let mut array = PageArray::zeroed(values.len());
        array.copy_from_slice(values);
        array
    }

    /// Whether the values live in the advised mapping (not on the heap).
    pub(crate) fn is_mapped(&self) -> bool {
        matches!(self.store, Store::Mapped { .. })
    }
}

/// 2 MiB, the huge page size of x86-64 and of most arm64 kernels.
const HUGE_PAGE: usize = 2 << 20;

/// An anonymous mapping of `bytes`, advised to be backed by huge pages.
#[cfg(target_os = "linux")]
fn mapped(bytes: usize) -> Option<MmapMut> {
    let map = MmapMut::map_anon(bytes).ok()?;
    // Advice only: a kernel without transparent huge pages refuses it,
    // and the mapping works as well with small pages.
    let _ = map.advise(memmap2::Advice::HugePage);
    Some(map)
}

#[cfg(not(target_os = "linux"))]
fn mapped(_bytes: usize) -> Option<MmapMut> {
    None
}

impl<T: Pod> std::ops::Deref for PageArray<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match &self.store {
            Store::Mapped { map, len } => {
                let bytes = len * std::mem::size_of::<T>();
                // Checked when the mapping was made; never empty otherwise.
                bytemuck::try_cast_slice(map.get(..bytes).unwrap_or(&[])).unwrap_or(&[])
            }
            Store::Heap(v) => v,
        }
    }
}

impl<T: Pod> std::ops::DerefMut for PageArray<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.store {
            Store::Mapped { map, len } => {
                let bytes = *len * std::mem::size_of::<T>();
                match map.get_mut(..bytes) {
                    Some(b) => bytemuck::try_cast_slice_mut(b).unwrap_or(&mut []),
                    None => &mut [],
                }
            }
            Store::Heap(v) => v,
        }
    }
}

impl<T: Pod> Clone for PageArray<T> {
    fn clone(&self) -> PageArray<T> {
        PageArray::from_slice(self)
    }
}

impl<T: Pod + PartialEq> PartialEq for PageArray<T> {
    fn eq(&self, other: &PageArray<T>) -> bool {
        **self == **other
    }
}

impl<T: Pod> std::fmt::Debug for PageArray<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageArray")
            .field("len", &self.len())
            .field("mapped", &self.is_mapped())
            .finish()
    }
}

impl<T: Pod> Default for PageArray<T> {
    fn default() -> PageArray<T> {
        PageArray {
            store: Store::Heap(Vec::new()),
        }
    }
}

/// A growable [`PageArray`]: values are appended, never removed.
#[derive(Clone, Default)]
pub(crate) struct PageVec<T: Pod> {
    data: PageArray<T>,
    len: usize,
}

impl<T: Pod> PageVec<T> {
    /// Makes room for `additional` more values, at least doubling.
    fn reserve(&mut self, additional: usize) {
        let need = self.len.saturating_add(additional);
        if need <= self.data.len() {
            return;
        }
        let mut data = PageArray::zeroed(need.max(self.data.len().saturating_mul(2)).max(64));
        data[..self.len].copy_from_slice(&self.data[..self.len]);
        self.data = data;
    }

    /// Appends `values`.
    pub(crate) fn extend_from_slice(&mut self, values: &[T]) {
        self.reserve(values.len());
        self.data[self.len..self.len + values.len()].copy_from_slice(values);
        self.len += values.len();
    }

    /// Appends `count` zeroed values.
    pub(crate) fn extend_zeroed(&mut self, count: usize) {
        self.reserve(count);
        self.len += count;
    }

    /// Values the storage holds, used or not (for memory figures).
    pub(crate) fn capacity(&self) -> usize {
        self.data.len()
    }
}

impl<T: Pod> std::ops::Deref for PageVec<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.data[..self.len]
    }
}

impl<T: Pod> std::ops::DerefMut for PageVec<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.data[..self.len]
    }
}

impl<T: Pod + PartialEq> PartialEq for PageVec<T> {
    fn eq(&self, other: &PageVec<T>) -> bool {
        **self == **other
    }
}

impl<T: Pod> std::fmt::Debug for PageVec<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageVec")
            .field("len", &self.len)
            .field("mapped", &self.data.is_mapped())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_zeroed_and_writable_in_either_store() {
        for len in [0usize, 10, (HUGE_PAGE / 8) + 3] {
            let mut a: PageArray<u64> = PageArray::zeroed(len);
            assert_eq!(a.len(), len);
            assert!(a.iter().all(|&v| v == 0));
            if let Some(last) = a.last_mut() {
                *last = 7;
            }
            let b = a.clone();
            assert_eq!(a, b);
            assert_eq!(b.last().copied(), (len > 0).then_some(7));
        }
    }

    #[test]
    fn growing_keeps_every_value() {
        let mut v: PageVec<u16> = PageVec::default();
        let mut expected = Vec::new();
        for i in 0..(HUGE_PAGE / 2 + 1000) as u32 {
            if i % 1000 == 0 {
                v.extend_zeroed(3);
                expected.extend_from_slice(&[0, 0, 0]);
            }
            v.extend_from_slice(&[i as u16]);
            expected.push(i as u16);
        }
        assert_eq!(&*v, &expected[..]);
        assert!(v.capacity() >= v.len());
        let w = v.clone();
        assert_eq!(v, w);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn large_arrays_are_mapped_on_linux() {
        let a: PageArray<u32> = PageArray::zeroed(HUGE_PAGE);
        assert!(a.is_mapped());
        let small: PageArray<u32> = PageArray::zeroed(16);
        assert!(!small.is_mapped());
    }
}
