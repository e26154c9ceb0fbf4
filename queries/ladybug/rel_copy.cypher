COPY {rel} FROM $rows (from='{src}', to='{tgt}')
