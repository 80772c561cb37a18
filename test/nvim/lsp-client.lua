-- Neovim as a real LSP client of nix-nur-language-server, run headless by nvim.test.ts.
-- It attaches the server to the current buffer, waits for diagnostics, asks for document symbols
-- and hover, prints one JSON line `RESULT {...}` and exits (0 on success, non-zero on failure).
local here = debug.getinfo(1, 'S').source:sub(2):match('(.*/)')
local support = dofile(here .. 'client-support.lua')
local emit, finish = support.emit, support.finish
local result = { diagnostics = nil, symbols = nil }
local bufnr = vim.api.nvim_get_current_buf()

local _, client_id = support.start({
  -- NIX_NUR_SETTINGS (JSON) adds settings, e.g. a bad value the server warns about.
  init_options = { nixNur = vim.tbl_extend('force', { diagnostics = { debounceMs = 20 } }, vim.fn.json_decode(os.getenv('NIX_NUR_SETTINGS') or '{}')) },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(_, params)
      if result.diagnostics == nil and params.uri == vim.uri_from_bufnr(bufnr) then
        result.diagnostics = params.diagnostics
      end
    end,
  },
})
if not client_id then return end

support.when_ready(client_id, function() return result.diagnostics end, function(client)
  result.server = client.server_capabilities and true or false
  client.request('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, function(err, symbols)
    if err then emit('documentSymbol error: ' .. vim.inspect(err)); finish(4); return end
    result.symbols = symbols
    emit('RESULT ' .. vim.fn.json_encode(result))
    client.stop()
    finish(0)
  end, bufnr)
end)
