-- Neovim as a real LSP client with its default settings (debounced didChange, no
-- nixNur/saveDocument): pins an input of the open flake.nix, saves the buffer with :w, unpins it,
-- saves again, and prints `RESULT {...}` with what the buffer held and what the server answered.
-- The file must never change behind the buffer: a :w then stops at "The file has been changed
-- since reading it", which in headless Neovim waits for ever (the test's timeout fails it).
local server = os.getenv('NIX_NUR_SERVER')
local rev = os.getenv('NIX_NUR_PIN_REV')
local function emit(line) io.stdout:write(line .. '\n') end
local function finish(code)
  vim.schedule(function() vim.cmd(code == 0 and 'qa!' or ('cq ' .. code)) end)
end

local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'nix'
local uri = vim.uri_from_bufnr(bufnr)
local result = {}
local function buffer_text() return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') end

local client_id = vim.lsp.start_client({ name = 'nix-nur', cmd = { 'node', server, '--stdio' }, root_dir = vim.fn.getcwd() })
if not client_id then emit('start_client failed'); finish(2); return end
vim.lsp.buf_attach_client(bufnr, client_id)

local function command(name, args, after)
  local client = vim.lsp.get_client_by_id(client_id)
  client.request('workspace/executeCommand', { command = name, arguments = { args } }, function(err, answer)
    if err then emit('ERROR ' .. name .. ': ' .. vim.inspect(err)); finish(4); return end
    after(answer)
  end, bufnr)
end

-- Saves the buffer as a user would, then gives the debounced didChange/didSave time to arrive.
local function save(after)
  vim.cmd('write')
  vim.defer_fn(after, 500)
end

local tries = 0
local timer = vim.loop.new_timer()
timer:start(100, 100, vim.schedule_wrap(function()
  tries = tries + 1
  local client = vim.lsp.get_client_by_id(client_id)
  if tries > 150 then timer:stop(); emit('timeout'); finish(3); return end
  if not (client and client.initialized) then return end
  timer:stop()
  -- The pin is the buffer's first change since attach.
  command('nixNur.flake.pin', { flake = uri, input = 'dep', rev = rev }, function(pinned)
    result.pinned = pinned
    result.afterPin = buffer_text()
    result.modifiedAfterPin = vim.bo[bufnr].modified
    save(function()
      command('nixNur.flake.unpin', { flake = uri, input = 'dep' }, function(unpinned)
        result.unpinned = unpinned
        result.afterUnpin = buffer_text()
        save(function()
          result.modifiedAtEnd = vim.bo[bufnr].modified
          emit('RESULT ' .. vim.fn.json_encode(result))
          vim.lsp.get_client_by_id(client_id).stop()
          finish(0)
        end)
      end)
    end)
  end)
end))
