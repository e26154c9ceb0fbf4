CALL {{
{inner}
}}
RETURN collect([{names}]) AS rows
