//! Typed keys and the stores they index. Pages, sections and sites are stored once and
//! referred to by key everywhere else (zola's `Library`); a key type per store means a page
//! key can never index the sections or the sites by mistake.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// A key into a [`Store`].
pub trait Key: Copy {
    /// The key of the item at `index`.
    fn from_index(index: usize) -> Self;
    /// The position of the item in its store.
    fn index(self) -> usize;
}

/// Declares a key type: a `u32` newtype that orders, hashes and prints like the number.
#[macro_export]
macro_rules! key_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(u32);

        impl $crate::store::Key for $name {
            fn from_index(index: usize) -> Self {
                $name(u32::try_from(index).expect("fewer than 4 billion items"))
            }
            fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}#{}", stringify!($name), self.0)
            }
        }
    };
}

/// Items indexed by a key type `K`.
#[derive(Clone, PartialEq, Eq)]
pub struct Store<K, V> {
    items: Vec<V>,
    key: PhantomData<fn(K) -> K>,
}

impl<K: Key, V> Store<K, V> {
    /// An empty store.
    pub fn new() -> Self {
        Store {
            items: Vec::new(),
            key: PhantomData,
        }
    }

    /// Adds an item and returns its key.
    pub fn push(&mut self, item: V) -> K {
        self.items.push(item);
        K::from_index(self.items.len() - 1)
    }

    /// The item of `key`, if the store has it.
    pub fn get(&self, key: K) -> Option<&V> {
        self.items.get(key.index())
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when the store is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items in key order.
    pub fn iter(&self) -> std::slice::Iter<'_, V> {
        self.items.iter()
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = K> + use<K, V> {
        (0..self.items.len()).map(K::from_index)
    }

    /// The items in key order, mutable.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, V> {
        self.items.iter_mut()
    }

    /// The items with their keys.
    pub fn iter_keyed(&self) -> impl Iterator<Item = (K, &V)> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, v)| (K::from_index(i), v))
    }

    /// The items as a slice, in key order.
    pub fn as_slice(&self) -> &[V] {
        &self.items
    }

    /// The values as a mutable slice (for parallel iteration).
    pub fn as_mut_slice(&mut self) -> &mut [V] {
        &mut self.items
    }
}

impl<K: Key, V> Default for Store<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Key, V> Index<K> for Store<K, V> {
    type Output = V;
    fn index(&self, key: K) -> &V {
        &self.items[key.index()]
    }
}

impl<K: Key, V> IndexMut<K> for Store<K, V> {
    fn index_mut(&mut self, key: K) -> &mut V {
        &mut self.items[key.index()]
    }
}

impl<K: Key, V> FromIterator<V> for Store<K, V> {
    fn from_iter<I: IntoIterator<Item = V>>(iter: I) -> Self {
        Store {
            items: iter.into_iter().collect(),
            key: PhantomData,
        }
    }
}

impl<K: Key, V> From<Vec<V>> for Store<K, V> {
    fn from(items: Vec<V>) -> Self {
        Store {
            items,
            key: PhantomData,
        }
    }
}

impl<K: Key, V> Extend<V> for Store<K, V> {
    fn extend<I: IntoIterator<Item = V>>(&mut self, iter: I) {
        self.items.extend(iter);
    }
}

impl<K: Key, V> IntoIterator for Store<K, V> {
    type Item = V;
    type IntoIter = std::vec::IntoIter<V>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, K: Key, V> IntoIterator for &'a Store<K, V> {
    type Item = &'a V;
    type IntoIter = std::slice::Iter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<K, V: fmt::Debug> fmt::Debug for Store<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.items).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::key_type!(
        /// A key for tests.
        TestKey
    );

    #[test]
    fn keys_index_their_own_store() {
        let mut s: Store<TestKey, &str> = Store::new();
        let a = s.push("甲");
        let b = s.push("乙");
        assert_eq!((s[a], s[b]), ("甲", "乙"));
        assert_eq!(s.keys().collect::<Vec<_>>(), [a, b]);
        assert_eq!(format!("{b:?}"), "TestKey#1");
        assert_eq!(
            s.iter_keyed()
                .map(|(k, v)| (k.index(), *v))
                .collect::<Vec<_>>(),
            [(0, "甲"), (1, "乙")]
        );
    }
}
