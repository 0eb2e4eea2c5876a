//go:build goexperiment.jsonv2

package bench

// goexp suffixes decoder names in builds with GOEXPERIMENT=jsonv2.
const goexp = "-goexp"
