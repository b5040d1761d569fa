package transfer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrNotConfirmed is a destructive step its user did not confirm.
var ErrNotConfirmed = errors.New("not confirmed")

// ConfirmClear asks before import --force empties namespace ns. yes (--yes)
// confirms without asking. Otherwise the question goes to out and the answer
// is read from in, which must be a terminal (interactive): a script's stdin
// cannot answer, so without --yes it is refused rather than guessed.
func ConfirmClear(in io.Reader, out io.Writer, interactive, yes bool, ns string) error {
	if yes {
		return nil
	}
	if !interactive {
		return fmt.Errorf("--force deletes every message of namespace %q before the import; "+
			"stdin is not a terminal to ask on, so confirm with --yes", ns)
	}
	_, _ = fmt.Fprintf(out, "--force deletes EVERY message of namespace %q before the import. This cannot be undone.\n"+
		"Continue? [y/N]: ", ns)
	answer, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("import --force of namespace %q: %w, nothing changed", ns, ErrNotConfirmed)
}
