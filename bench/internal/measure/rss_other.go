//go:build !unix

package measure

import "os"

// PeakRSS returns 0: the peak RSS is not measured on this platform.
func PeakRSS(*os.ProcessState) int64 { return 0 }
