package stream

// streamPosition is one position of one stream.
type streamPosition struct {
	stream   string
	position int64
}

// CheckImportBatch refuses a batch of imported messages that contradicts
// itself or holds positions no store could keep: a global or stream position
// out of range, or a global position, id or stream position given twice. The
// first offending message in batch order wins. Whether the batch collides
// with what a store holds is the store's to check.
func CheckImportBatch(batch []Message) error {
	gpos := make(map[int64]bool, len(batch))
	ids := make(map[string]bool, len(batch))
	pos := make(map[streamPosition]bool, len(batch))
	for i := range batch {
		m := &batch[i]
		at := streamPosition{m.Stream, m.Position}
		switch {
		case m.GlobalPosition < 1 || m.GlobalPosition > MaxPosition:
			return Invalidf("gpos", "must be between 1 and %d, got %d", MaxPosition, m.GlobalPosition)
		case m.Position < 0 || m.Position > MaxPosition:
			return Invalidf("pos", "must be between 0 and %d, got %d", MaxPosition, m.Position)
		case gpos[m.GlobalPosition]:
			return &PositionExistsError{GlobalPosition: m.GlobalPosition}
		case ids[m.ID]:
			return &DuplicateIDError{ID: m.ID}
		case pos[at]:
			return &PositionExistsError{GlobalPosition: m.GlobalPosition, Stream: m.Stream, Position: m.Position}
		}
		gpos[m.GlobalPosition] = true
		ids[m.ID] = true
		pos[at] = true
	}
	return nil
}
