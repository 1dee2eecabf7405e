kernel-y += mm/memblock.o mm/pgtable.o mm/dmap.o
