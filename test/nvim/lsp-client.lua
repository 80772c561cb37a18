-- Neovim as a real LSP client of nix-nur-language-server, run headless by nvim.test.ts.
-- It attaches the server to the current buffer, waits for diagnostics, asks for document symbols
-- and hover, prints one JSON line `RESULT {...}` and exits (0 on success, non-zero on failure).
local server = os.getenv('NIX_NUR_SERVER')
local function emit(line) io.stdout:write(line .. '\n') end
local function finish(code)
  vim.schedule(function() vim.cmd(code == 0 and 'qa!' or ('cq ' .. code)) end)
end

local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'nix'
local result = { diagnostics = nil, symbols = nil }

local client_id = vim.lsp.start_client({
  name = 'nix-nur',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.getcwd(),
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
if not client_id then emit('start_client failed'); finish(2); return end
vim.lsp.buf_attach_client(bufnr, client_id)

local tries = 0
local timer = vim.loop.new_timer()
timer:start(100, 100, vim.schedule_wrap(function()
  tries = tries + 1
  local client = vim.lsp.get_client_by_id(client_id)
  if tries > 150 then timer:stop(); emit('timeout'); finish(3); return end
  if not (client and client.initialized and result.diagnostics) then return end
  timer:stop()
  result.server = client.server_capabilities and true or false
  client.request('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, function(err, symbols)
    if err then emit('documentSymbol error: ' .. vim.inspect(err)); finish(4); return end
    result.symbols = symbols
    -- NIX_NUR_CODE_ACTION (JSON: line, character, title) applies that code action, as `:lua
    -- vim.lsp.buf.code_action()` would once chosen, and reports the buffer's text after it.
    local wanted = os.getenv('NIX_NUR_CODE_ACTION')
    if not wanted then
      emit('RESULT ' .. vim.fn.json_encode(result))
      client.stop()
      finish(0)
      return
    end
    wanted = vim.fn.json_decode(wanted)
    local position = { line = wanted.line, character = wanted.character }
    local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = { start = position, ['end'] = position }, context = { diagnostics = {} } }
    client.request('textDocument/codeAction', params, function(action_err, actions)
      if action_err then emit('codeAction error: ' .. vim.inspect(action_err)); finish(5); return end
      result.actions = {}
      for _, action in ipairs(actions or {}) do
        table.insert(result.actions, action.title)
        if action.title == wanted.title and action.edit then
          vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
        end
      end
      result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
      emit('RESULT ' .. vim.fn.json_encode(result))
      client.stop()
      finish(0)
    end, bufnr)
  end, bufnr)
end))
