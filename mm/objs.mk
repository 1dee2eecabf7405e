kernel-y += mm/memblock.o mm/pgtable.o mm/dmap.o mm/buddy.o mm/slab.o \
	mm/page_alloc.o mm/compat.o
