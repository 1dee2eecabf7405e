# In-kernel self-tests and benchmarks: linked into the kernel, run only on
# request (boot options pagoda.selftests, pagoda.test, pagoda.bench).
kernel-y += tests/kernel/selftest.o tests/kernel/selftest_mm.o tests/kernel/selftest_paging.o \
	tests/kernel/bench.o
