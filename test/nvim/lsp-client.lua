-- Neovim as a real LSP client of nix-nur-language-server, run headless by nvim.test.ts.
-- It attaches the server to the current buffer, waits for diagnostics, asks for document symbols
-- (and semantic tokens, when NIX_NUR_SEMANTIC_TOKENS=1), prints one JSON line `RESULT {...}` and exits (0 on success, non-zero on failure).
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
  local function done()
    emit('RESULT ' .. vim.fn.json_encode(result))
    client.stop()
    finish(0)
  end
  -- NIX_NUR_CODE_ACTION (JSON: line, character, title) applies that code action, as `:lua
  -- vim.lsp.buf.code_action()` would once chosen, and reports the buffer's text after it.
  local function apply_code_action(wanted)
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
      done()
    end, bufnr)
  end
  client.request('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, function(err, symbols)
    if err then emit('documentSymbol error: ' .. vim.inspect(err)); finish(4); return end
    result.symbols = symbols
    local wanted = os.getenv('NIX_NUR_CODE_ACTION')
    if wanted then apply_code_action(vim.fn.json_decode(wanted)); return end
    if os.getenv('NIX_NUR_SEMANTIC_TOKENS') ~= '1' then done(); return end
    -- Semantic tokens as the server's legend says to read them: `text type modifier…` each.
    local legend = client.server_capabilities.semanticTokensProvider.legend
    client.request('textDocument/semanticTokens/full', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, function(terr, tokens)
      if terr or not tokens then emit('semanticTokens error: ' .. vim.inspect(terr)); finish(5); return end
      local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
      local decoded, line, char = {}, 0, 0
      local data = tokens.data
      for i = 1, #data, 5 do
        if data[i] == 0 then char = char + data[i + 1] else line = line + data[i]; char = data[i + 1] end
        local words = { string.sub(lines[line + 1], char + 1, char + data[i + 2]), legend.tokenTypes[data[i + 3] + 1] }
        for bit = 0, #legend.tokenModifiers - 1 do
          if math.floor(data[i + 4] / 2 ^ bit) % 2 == 1 then table.insert(words, legend.tokenModifiers[bit + 1]) end
        end
        table.insert(decoded, table.concat(words, ' '))
      end
      result.tokens = decoded
      done()
    end, bufnr)
  end, bufnr)
end)
