kernel-y += mm/memblock.o mm/pagemapper.o mm/kmap.o mm/ioremap.o mm/asid.o mm/vma.o mm/dmap.o mm/buddy.o mm/slab.o \
	mm/page_alloc.o mm/compat.o mm/shm.o mm/anon.o mm/filemap.o mm/linear.o mm/special.o mm/cow.o \
	mm/as.o mm/as_ops.o mm/sys_mm.o
