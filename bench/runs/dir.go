package runs

import (
	"fmt"
	"os"
	"path/filepath"
)

// NewDir makes a new run folder under reports named id, made unique with a
// suffix ("-2", "-3", ...) if a folder of that name exists, and returns its
// path.
func NewDir(reports, id string) (string, error) {
	if err := os.MkdirAll(reports, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(reports, id)
	for i := 2; ; i++ {
		err := os.Mkdir(path, 0o755)
		if err == nil {
			return path, nil
		}
		if !os.IsExist(err) {
			return "", err
		}
		path = filepath.Join(reports, fmt.Sprintf("%s-%d", id, i))
	}
}

// PointLatest makes reports/latest a relative link to the run folder dir,
// replacing whatever link was there. The temporary link is named after the
// run folder, so that runs ending at once in one reports folder (load
// generators on a shared volume) do not race for it.
func PointLatest(reports, dir string) error {
	link := filepath.Join(reports, LatestLink)
	tmp := link + "." + filepath.Base(dir) + ".tmp"
	_ = os.Remove(tmp)
	if err := os.Symlink(filepath.Base(dir), tmp); err != nil {
		return err
	}
	return os.Rename(tmp, link)
}
