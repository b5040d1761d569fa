package transfer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
)

// gzipMagic starts every gzip stream (RFC 1952).
var gzipMagic = []byte{0x1f, 0x8b}

// Decompress returns r's NDJSON: r itself, or r decompressed when it starts
// with gzip's magic bytes. requireGzip (import --gzip) makes plain input an
// error instead of a guess. Close releases the decompressor, not r.
func Decompress(r io.Reader, requireGzip bool) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(len(gzipMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if !bytes.Equal(head, gzipMagic) {
		if requireGzip {
			return nil, errors.New("--gzip: the input is not gzip-compressed (it does not start with gzip's magic bytes)")
		}
		return io.NopCloser(br), nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, err
	}
	zr.Multistream(true) // concatenated .gz files are one file
	return zr, nil
}

// Compress wraps w for export --gzip. Closing the returned writer flushes the
// compressed stream and writes gzip's trailer; it does not close w.
func Compress(w io.Writer) io.WriteCloser {
	return gzip.NewWriter(w)
}
