{parts}
RETURN {aliases}
