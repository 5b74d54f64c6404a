package lru

import (
	"fmt"
	"testing"
)

func TestByteBudget(t *testing.T) {
	tests := []struct {
		name   string
		budget int64
		adds   []int64 // sizes of keys k0, k1, …
		get    int     // a key read before the last add (-1: none)
		want   []bool  // which keys remain
		bytes  int64
	}{
		{"within budget", 100, []int64{10, 20, 30}, -1, []bool{true, true, true}, 60},
		{"oldest goes first", 50, []int64{20, 20, 20}, -1, []bool{false, true, true}, 40},
		{"a read keeps an entry", 50, []int64{20, 20, 20}, 0, []bool{true, false, true}, 40},
		{"larger than the budget is not stored", 50, []int64{20, 60}, -1, []bool{true, false}, 20},
		{"several go for a large one", 50, []int64{10, 10, 10, 45}, -1, []bool{false, false, false, true}, 45},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New[string, int](tt.budget)
			for i, n := range tt.adds {
				if i == len(tt.adds)-1 && tt.get >= 0 {
					if _, ok := c.Get(fmt.Sprintf("k%d", tt.get)); !ok {
						t.Fatalf("k%d missing before the last add", tt.get)
					}
				}
				c.Add(fmt.Sprintf("k%d", i), i, n)
			}
			for i, want := range tt.want {
				if got := c.Contains(fmt.Sprintf("k%d", i)); got != want {
					t.Errorf("k%d held: %v, want %v", i, got, want)
				}
			}
			if c.Bytes() != tt.bytes {
				t.Errorf("bytes %d, want %d", c.Bytes(), tt.bytes)
			}
		})
	}
	t.Run("replacing a key counts its new size only", func(t *testing.T) {
		c := New[string, int](100)
		c.Add("a", 1, 30)
		c.Add("a", 2, 40)
		if v, _ := c.Get("a"); v != 2 || c.Bytes() != 40 {
			t.Fatalf("value %d, bytes %d; want 2, 40", v, c.Bytes())
		}
	})
}
