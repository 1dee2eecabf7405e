kernel-y += drivers/of/fdt.o drivers/power.o
kernel-y += drivers/serial/console.o drivers/serial/uart8250.o drivers/serial/sifive.o
