// drill
