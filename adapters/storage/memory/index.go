package memory

import (
	"cmp"
	"slices"
)

// An index is a slice of entries sorted by position (a stream's) or by global
// position (a category's, the log). Lookups are binary searches; appends land
// past the end, imports are merged in.

// The two orders of the indexes.
func comparePosition(a, b *entry) int { return cmp.Compare(a.msg.Position, b.msg.Position) }
func compareGlobal(a, b *entry) int   { return cmp.Compare(a.msg.GlobalPosition, b.msg.GlobalPosition) }

// merge returns list with add (sorted by order, no key of list) merged in. Adding
// past the end, as every append does, costs only the added entries.
func merge(list, add []*entry, order func(a, b *entry) int) []*entry {
	if len(add) == 0 {
		return list
	}
	if len(list) == 0 || order(list[len(list)-1], add[0]) < 0 {
		return append(list, add...)
	}
	out := make([]*entry, 0, len(list)+len(add))
	i, j := 0, 0
	for i < len(list) && j < len(add) {
		if order(add[j], list[i]) < 0 {
			out = append(out, add[j])
			j++
		} else {
			out = append(out, list[i])
			i++
		}
	}
	out = append(out, list[i:]...)
	return append(out, add[j:]...)
}

// fromGlobal is the index of the first entry of list (sorted by global position)
// at or after global position g.
func fromGlobal(list []*entry, g int64) int {
	i, _ := slices.BinarySearchFunc(list, g, func(e *entry, g int64) int { return cmp.Compare(e.msg.GlobalPosition, g) })
	return i
}

// fromPosition is the index of the first entry of list (sorted by position)
// at or after position p.
func fromPosition(list []*entry, p int64) int {
	i, _ := slices.BinarySearchFunc(list, p, func(e *entry, p int64) int { return cmp.Compare(e.msg.Position, p) })
	return i
}
