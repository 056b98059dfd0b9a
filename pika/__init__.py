"""Pika!: live interaction between the DJ booth and the dance floor."""
