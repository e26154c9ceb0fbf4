CREATE REL TABLE IF NOT EXISTS {rel}({pairs}{columns}, MANY_MANY)
