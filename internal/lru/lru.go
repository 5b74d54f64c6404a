// Package lru is the one cache of the project: a least-recently-used map
// bounded by the bytes its entries hold (as a size function measures them),
// over hashicorp/golang-lru's simplelru, safe for concurrent use. The
// parsed-query and persisted-query caches (internal/gqlhttp/guard.go), the
// response cache (internal/gqlhttp/respcache.go) and the crosswalk's
// small-area tables (internal/store/crosswalk.go) are instances.
package lru

import (
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// maxEntries bounds the entry count only to satisfy simplelru, which counts
// entries; the byte budget is the real bound.
const maxEntries = 1 << 30

type entry[V any] struct {
	val  V
	size int64
}

// Cache is a byte-bounded LRU map.
type Cache[K comparable, V any] struct {
	mu     sync.Mutex
	budget int64
	used   int64
	items  *simplelru.LRU[K, entry[V]]
}

// New returns a cache holding at most budget bytes.
func New[K comparable, V any](budget int64) *Cache[K, V] {
	c := &Cache[K, V]{budget: budget}
	c.items, _ = simplelru.NewLRU[K, entry[V]](maxEntries, func(_ K, e entry[V]) { c.used -= e.size })
	return c
}

// Get returns the value of key and marks it most recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items.Get(key)
	return e.val, ok
}

// Add stores val of size bytes under key (replacing what it held), then
// drops the least recently used entries until the cache is within its
// budget. An entry larger than the whole budget is not stored.
func (c *Cache[K, V]) Add(key K, val V, size int64) {
	if size > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items.Remove(key) // its bytes leave through the eviction callback
	c.items.Add(key, entry[V]{val: val, size: size})
	c.used += size
	for c.used > c.budget {
		if _, _, ok := c.items.RemoveOldest(); !ok {
			break
		}
	}
}

// Remove drops key, if held.
func (c *Cache[K, V]) Remove(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items.Remove(key) // its bytes leave through the eviction callback
}

// Contains says whether key is held, without marking it used.
func (c *Cache[K, V]) Contains(key K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.items.Contains(key)
}

// Bytes is what the cache holds, by its size measure.
func (c *Cache[K, V]) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}
