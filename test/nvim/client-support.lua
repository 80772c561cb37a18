-- What the headless Neovim client scripts share: printing a line for the test to read, and
-- quitting with an exit code once the event loop is free.
local M = {}
function M.emit(line) io.stdout:write(line .. '\n') end
function M.finish(code)
  vim.schedule(function() vim.cmd(code == 0 and 'qa!' or ('cq ' .. code)) end)
end
-- Starts the server (NIX_NUR_SERVER) for the current buffer as a Nix file, with `config` added
-- to the client's configuration; returns the buffer and the client's id (nil when it failed).
function M.start(config)
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'nix'
  local client_id = vim.lsp.start_client(vim.tbl_extend('force', {
    name = 'nix-nur',
    cmd = { 'node', os.getenv('NIX_NUR_SERVER'), '--stdio' },
    root_dir = vim.fn.getcwd(),
  }, config or {}))
  if not client_id then M.emit('start_client failed'); M.finish(2); return bufnr, nil end
  vim.lsp.buf_attach_client(bufnr, client_id)
  return bufnr, client_id
end
-- Calls `body(client)` once the client is initialized and `ready(client)` holds (polling every
-- 100 ms); gives up after 15 s with exit code 3.
function M.when_ready(client_id, ready, body)
  local tries = 0
  local timer = vim.loop.new_timer()
  timer:start(100, 100, vim.schedule_wrap(function()
    tries = tries + 1
    local client = vim.lsp.get_client_by_id(client_id)
    if tries > 150 then timer:stop(); M.emit('timeout'); M.finish(3); return end
    if not (client and client.initialized and ready(client)) then return end
    timer:stop()
    body(client)
  end))
end
return M
